/**
 * Server-side checks of `POST /uploads`. The client runs its own checks first, for the user's sake;
 * these are the defence, because anything can send this request.
 */
import type { VideoError } from "../core/errors.js";
import type { CreateUploadRequest } from "../core/types.js";
import { defaultUploadLimits } from "../core/validation.js";
import { httpError } from "./errors.js";

export interface ServerUploadLimits {
  /** Largest declared file size in bytes. Default 5 GiB. */
  maxFileSize: number;
  /** Declared MIME types accepted; `video/*` style patterns allowed. */
  allowedTypes: readonly string[];
  /** File name extensions accepted, lower case with the dot. */
  allowedExtensions: readonly string[];
  /** Longest file name, in characters. Default 255. */
  maxFilenameLength: number;
  /** Shape a lesson id must have. Default: 1–64 letters, digits, `-` or `_` (UUIDs, cuids, numbers). */
  lessonIdPattern: RegExp;
  /** Refuse uploads that name no lesson. Default false. */
  requireLessonId: boolean;
  /** Largest JSON body of a request, in bytes. Default 16 KiB. */
  maxRequestBodyBytes: number;
}

/** The client's defaults for size, types and extensions, so a file the client lets through is not refused here. */
export const defaultServerUploadLimits: ServerUploadLimits = {
  maxFileSize: defaultUploadLimits.maxFileSize,
  allowedTypes: defaultUploadLimits.allowedTypes,
  allowedExtensions: defaultUploadLimits.allowedExtensions,
  maxFilenameLength: 255,
  lessonIdPattern: /^[A-Za-z0-9_-]{1,64}$/,
  requireLessonId: false,
  maxRequestBodyBytes: 16 * 1024,
};

export type UploadRequestCheck = { ok: true; request: CreateUploadRequest } | { ok: false; error: VideoError };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

function typeAllowed(mime: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.endsWith("/*") ? mime.startsWith(p.slice(0, -1)) : p === mime;
  });
}

/** Validates the parsed JSON body of `POST /uploads` against `limits`. */
export function validateUploadRequest(body: unknown, limits: ServerUploadLimits): UploadRequestCheck {
  const fail = (status: number, code: Parameters<typeof httpError>[1], message: string): UploadRequestCheck => ({
    ok: false,
    error: httpError(status, code, message),
  });
  if (!isRecord(body) || !isRecord(body.file)) return fail(400, "bad_request", "The body must be { file: { name, size, type }, lessonId? }.");
  const { name, size, type } = body.file;
  if (typeof name !== "string" || typeof size !== "number" || typeof type !== "string") {
    return fail(400, "bad_request", "file.name and file.type must be strings and file.size a number.");
  }
  if (name.length === 0 || name.length > limits.maxFilenameLength) {
    return fail(400, "bad_request", `The file name must be 1 to ${limits.maxFilenameLength} characters long.`);
  }
  // Control characters and path separators have no place in a file name a person chose.
  if (/[\u0000-\u001f\u007f/\\]/.test(name)) return fail(400, "bad_request", "The file name contains characters that are not allowed.");
  if (!Number.isSafeInteger(size) || size < 0) return fail(400, "bad_request", "file.size must be a whole number of bytes.");
  if (size === 0) return fail(400, "file_empty", "The file is empty.");
  if (size > limits.maxFileSize) return fail(413, "file_too_large", `The file is larger than ${limits.maxFileSize} bytes.`);
  const mime = type.split(";")[0]!.trim().toLowerCase();
  const extension = extensionOf(name);
  // Browsers leave the type empty for some containers (.mkv) and people drop extensions; one of the two
  // may be missing, but whatever is declared must be allowed, and something must be declared.
  if (mime === "" && extension === "") return fail(415, "file_type_not_allowed", "The file has neither a type nor an extension.");
  if (mime !== "" && !typeAllowed(mime, limits.allowedTypes)) return fail(415, "file_type_not_allowed", "This type of file is not allowed.");
  if (extension !== "" && !limits.allowedExtensions.map((e) => e.toLowerCase()).includes(extension)) {
    return fail(415, "file_type_not_allowed", "This file name extension is not allowed.");
  }

  const { lessonId } = body;
  if (lessonId !== undefined && lessonId !== null) {
    if (typeof lessonId !== "string" || !limits.lessonIdPattern.test(lessonId)) {
      return fail(400, "bad_request", "lessonId does not have the shape of a lesson id.");
    }
  } else if (limits.requireLessonId) {
    return fail(400, "bad_request", "lessonId is required.");
  }

  const request: CreateUploadRequest = { file: { name, size, type: mime } };
  if (typeof lessonId === "string") request.lessonId = lessonId;
  return { ok: true, request };
}
