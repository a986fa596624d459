/**
 * A ready `sendFile` for backends that take the whole file in one presigned request: S3 and R2 presigned
 * PUT URLs, GCS signed URLs, Azure SAS URLs. It reports progress within the request (XHR's upload events in
 * browsers) and aborts cleanly when the controller pauses, cancels or is disposed. One request cannot
 * resume: after a pause or a retry it sends the file again from the first byte.
 */
import { type ChunkRequester, createDefaultRequester } from "./chunk-requester.js";
import type { SendFileOptions, UploadTarget } from "./types.js";
import { errorForStatus, toVideoError } from "./errors.js";

/** Options of `createPutSender`. */
export interface PutSenderOptions {
  /** Headers on the request besides the target's own (e.g. Azure's `x-ms-blob-type: BlockBlob`). */
  headers?: Record<string, string> | undefined;
  /** Send the file's type as `Content-Type` (a presigned S3 URL that signed it needs the same). Default true. */
  contentType?: boolean | undefined;
  /** How the request is sent. Default: XHR in browsers (progress within the request), `fetch` elsewhere. */
  request?: ChunkRequester | undefined;
}

/** The signature of `VideoTransport.sendFile`. */
export type SendFile = (file: Blob, target: UploadTarget, options: SendFileOptions) => Promise<void>;

/**
 * Builds a `sendFile` that PUTs the whole file to `target.url`.
 *
 * @example
 * const transport: VideoTransport = { createUpload, getUpload, getAsset, sendFile: createPutSender() };
 */
export function createPutSender(options: PutSenderOptions = {}): SendFile {
  const request = options.request ?? createDefaultRequester();
  return async (file, target, send) => {
    const headers: Record<string, string> = { ...target.headers, ...options.headers };
    if ((options.contentType ?? true) && file.type) headers["Content-Type"] = file.type;
    send.onProgress(0);
    let response;
    try {
      response = await request({ url: target.url, headers, body: file, signal: send.signal, onUploadProgress: (loaded) => send.onProgress(Math.min(loaded, file.size)) });
    } catch (thrown) {
      throw toVideoError(thrown);
    }
    if (response.status < 200 || response.status > 299) throw errorForStatus(response.status, response.header("retry-after"));
    send.onProgress(file.size);
  };
}
