/**
 * The emulator-only size cap of a direct upload. Mux's `POST /video/v1/uploads` takes no size, so a host's
 * declared file size cannot reach real Mux; the emulator takes it as a request header on that (authenticated)
 * call, and its upload URL then refuses bytes beyond it the way a size-capped signed URL does (GCS answers a body
 * outside `x-goog-content-length-range` with `400`, error code `EntityTooLarge`). A header rather than a body field:
 * the SDK sends body fields to whatever server it talks to, and `createMuxBackend` adds the header only when its
 * `baseURL` is not Mux's API, so real Mux never sees it.
 */
import type { IncomingHttpHeaders } from "node:http";
import { uploadSizeCapHeader } from "../server/backends/mux-host.js";
import { invalidParameters, MuxHttpError } from "./responses.js";

/** Request header of `POST /video/v1/uploads`: the most bytes the upload URL may receive (the one `createMuxBackend` sends). */
export const UPLOAD_SIZE_CAP_HEADER = uploadSizeCapHeader;

/** The cap a create-upload request asks for, if any; a value that is not a whole number of bytes above 0 is a 400. */
export function readUploadSizeCap(headers: IncomingHttpHeaders): number | undefined {
  const value = headers[UPLOAD_SIZE_CAP_HEADER];
  if (value === undefined) return undefined;
  const cap = typeof value === "string" && /^\d{1,16}$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(cap) || cap <= 0) {
    throw invalidParameters(`The ${UPLOAD_SIZE_CAP_HEADER} header must be a whole number of bytes above 0.`);
  }
  return cap;
}

/** The upload URL's answer to bytes beyond the cap: nothing of the request is stored. */
export function beyondSizeCap(cap: number, what: string): MuxHttpError {
  return new MuxHttpError(400, "entity_too_large", [`${what} goes beyond the ${cap} bytes this upload accepts.`]);
}
