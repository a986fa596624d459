/**
 * One writer at a time per upload, and the newest one wins. A GCS resumable session takes one request at a
 * time, and a client sends another while one is in flight only after giving up on it (a timeout, a lost
 * answer, a reload). So a new request for an upload cuts off the one still receiving its body instead of
 * queueing behind it: a stalled body can no longer hold the upload, or its cancel, until the socket times
 * out. A writer already past its body (committing) finishes first; the next one starts from what it committed.
 */
interface Lane {
  /** Settles when the last writer queued on this upload is done. */
  tail: Promise<void>;
  /** Aborted when a newer writer arrives for this upload. */
  newest: AbortController;
}

export class UploadWrites {
  readonly #lanes = new Map<string, Lane>();

  /**
   * Runs `task` for `uploadId` once the writers before it are done, and aborts their `superseded` signals:
   * a task whose signal aborts while it still reads a request body must stop and store nothing.
   */
  run<T>(uploadId: string, task: (superseded: AbortSignal) => Promise<T>): Promise<T> {
    const previous = this.#lanes.get(uploadId);
    previous?.newest.abort();
    const controller = new AbortController();
    const run = (previous?.tail ?? Promise.resolve()).then(() => task(controller.signal));
    const lane: Lane = { tail: run.then(() => undefined, () => undefined), newest: controller };
    this.#lanes.set(uploadId, lane);
    void lane.tail.then(() => {
      if (this.#lanes.get(uploadId) === lane) this.#lanes.delete(uploadId);
    });
    return run;
  }
}
