import { useCallback, useEffect, useState } from "react";
import type { UploadRecord } from "../core/upload-record-store.js";
import type { ValidatableFile } from "../core/validation.js";
import { useVideoClient } from "./video-context.js";

/** What `useResumableUploads()` returns: the interrupted uploads and what to do with each. */
export interface UseResumableUploadsResult {
  /** Uploads recorded before a reload that can continue (empty during server rendering). */
  records: UploadRecord[];
  /**
   * Continues `record` on the provider's upload with `file`, the file the user picked again (browsers
   * cannot reopen it). A different file ends in `file_changed`; an expired URL starts a fresh upload.
   */
  resume: (file: ValidatableFile, record: UploadRecord) => Promise<void>;
  /** Forgets a record (the user chose not to resume). */
  discard: (uploadId: string) => void;
}

/**
 * Uploads a reload interrupted, from the provider's `records` store (none without one). The list is
 * read after mount and again whenever the provider's upload changes status.
 *
 * @example
 * const { records, resume, discard } = useResumableUploads();
 * records.map((record) => (
 *   <p key={record.uploadId}>
 *     {record.file.name}: pick it again to continue
 *     <input type="file" onChange={(e) => e.target.files?.[0] && resume(e.target.files[0], record)} />
 *     <button onClick={() => discard(record.uploadId)}>Discard</button>
 *   </p>
 * ));
 */
export function useResumableUploads(): UseResumableUploadsResult {
  const { records: store, controller } = useVideoClient("useResumableUploads()");
  // Read after mount only: the server has no storage, and the first client render must match it.
  const [records, setRecords] = useState<UploadRecord[]>([]);
  useEffect(() => {
    if (!store) return undefined;
    const refresh = () => setRecords(store.list());
    refresh();
    let status = controller.getSnapshot().status;
    return controller.subscribe(() => {
      const next = controller.getSnapshot().status;
      if (next === status) return;
      status = next;
      refresh();
    });
  }, [store, controller]);
  const resume = useCallback((file: ValidatableFile, record: UploadRecord) => controller.resumeFromRecord(file, record), [controller]);
  const discard = useCallback(
    (uploadId: string) => {
      store?.remove(uploadId);
      if (store) setRecords(store.list());
    },
    [store],
  );
  return { records, resume, discard };
}
