/**
 * Upload speed in bytes per second, smoothed with an exponential moving average so the number a person
 * reads (and the ETA computed from it) does not jump with every progress event.
 */
export class SpeedMeter {
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #smoothing: number;
  #last: { at: number; bytes: number } | undefined;
  #speed = 0;

  /** `windowMs`: least time between two samples; `smoothing`: weight of the newest sample (0–1). */
  constructor(now: () => number, windowMs = 250, smoothing = 0.3) {
    this.#now = now;
    this.#windowMs = windowMs;
    this.#smoothing = smoothing;
  }

  /** Records that `bytes` are sent now; returns the smoothed speed. */
  sample(bytes: number): number {
    const at = this.#now();
    if (!this.#last || bytes < this.#last.bytes) {
      this.#last = { at, bytes };
      return this.#speed;
    }
    const elapsed = at - this.#last.at;
    if (elapsed < this.#windowMs) return this.#speed;
    const instant = ((bytes - this.#last.bytes) * 1000) / elapsed;
    this.#speed = this.#speed === 0 ? instant : this.#smoothing * instant + (1 - this.#smoothing) * this.#speed;
    this.#last = { at, bytes };
    return this.#speed;
  }

  /** Forgets the history (after a pause: the time paused is not upload time). */
  reset(): void {
    this.#last = undefined;
    this.#speed = 0;
  }
}
