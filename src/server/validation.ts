/**
 * Server-side checks of `POST /uploads`. The client runs its own checks first, for the user's sake;
 * these are the defence, because anything can send this request.
 */
import type { VideoError } from "../core/errors.js";
import type { CreateUploadRequest } from "../core/types.js";
import { httpError } from "./errors.js";

export interface ServerUploadLimits {
  /** Largest declared file size in bytes. Default 5 GiB. */
  maxFileSize: number;
  /** Declared MIME types accepted. */
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

export const defaultServerUploadLimits: ServerUploadLimits = {
  maxFileSize: 5 * 1024 ** 3,
  allowedTypes: ["video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/x-m4v", "video/mpeg", "video/ogg"],
  allowedExtensions: [".mp4", ".m4v", ".mov", ".webm", ".mkv", ".mpeg", ".mpg", ".ogv"],
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
  if (!limits.allowedTypes.includes(mime)) return fail(415, "file_type_not_allowed", "This type of file is not allowed.");
  if (!limits.allowedExtensions.includes(extensionOf(name))) {
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
