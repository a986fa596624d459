/**
 * Server-side checks of `POST /uploads`. The client runs its own checks first, for the user's sake;
 * these are the defence, because anything can send this request.
 */
import { defaultAudioExtensions, defaultAudioTypes } from "../core/audio-kinds.js";
import type { VideoError } from "../core/errors.js";
import type { CreateUploadRequest, GenerateCaptionsRequest, RequestedAssetSettings } from "../core/types.js";
import { defaultUploadLimits } from "../core/validation.js";
import { httpError } from "./errors.js";
import { readRequestedSettings } from "./routes/asset-settings.js";

/**
 * What `POST /uploads` accepts (`createVideoRoutes`' `limits`, merged over `defaultServerUploadLimits`).
 * A request outside them answers 4xx before the backend is asked: 413 `file_too_large` over `maxFileSize`,
 * 415 `file_type_not_allowed` for a type or extension not listed, 400 otherwise.
 *
 * @example
 * ```ts
 * // 2 GB MP4s only, always for a lesson.
 * createVideoRoutes({
 *   backend,
 *   authorize,
 *   limits: { maxFileSize: 2_000_000_000, allowedTypes: ["video/mp4"], allowedExtensions: [".mp4"], requireLessonId: true },
 * });
 * ```
 */
export interface ServerUploadLimits {
  /** Largest declared file size in bytes. Default 5 000 000 000 (5 GB), the client's default. */
  maxFileSize: number;
  /** Declared MIME types accepted; `video/*` style patterns allowed. Default: the client's `defaultUploadLimits.allowedTypes`. */
  allowedTypes: readonly string[];
  /** File name extensions accepted, lower case with the dot. Default: the client's `defaultUploadLimits.allowedExtensions`. */
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

/** `limits` with the audio types and extensions added when the routes take audio files (`allowAudio`). */
export function withAudio(limits: ServerUploadLimits, allowAudio: boolean): ServerUploadLimits {
  if (!allowAudio) return limits;
  return {
    ...limits,
    // The same audio files the browser's `limits.audio` accepts.
    allowedTypes: [...new Set([...limits.allowedTypes, ...defaultAudioTypes])],
    allowedExtensions: [...new Set([...limits.allowedExtensions, ...defaultAudioExtensions])],
  };
}

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
  if (!isRecord(body) || !isRecord(body.file)) return fail(400, "bad_request", "The body must be { file: { name, size, type, maxSize? }, lessonId? }.");
  const { name, size, type } = body.file;
  if (typeof name !== "string" || typeof size !== "number" || typeof type !== "string") {
    return fail(400, "bad_request", "file.name and file.type must be strings and file.size a number.");
  }
  if (name.length === 0 || name.length > limits.maxFilenameLength) {
    return fail(400, "bad_request", `The file name must be 1 to ${limits.maxFilenameLength} characters long.`);
  }
  if (forbiddenInFileName.test(name)) return fail(400, "bad_request", "The file name contains characters that are not allowed.");
  if (!Number.isSafeInteger(size) || size < 0) return fail(400, "bad_request", "file.size must be a whole number of bytes.");
  // A source of unknown length (a stream) declares size 0 and the most it may reach: that is what is checked and reserved.
  const { maxSize } = body.file;
  if (maxSize !== undefined && maxSize !== null) {
    if (typeof maxSize !== "number" || !Number.isSafeInteger(maxSize) || maxSize <= 0 || size !== 0) {
      return fail(400, "bad_request", "file.maxSize must be a whole number of bytes above 0, with file.size 0.");
    }
    if (maxSize > limits.maxFileSize) return fail(413, "file_too_large", `The file may grow larger than ${limits.maxFileSize} bytes.`);
  } else if (size === 0) return fail(400, "file_empty", "The file is empty.");
  if (size > limits.maxFileSize) return fail(413, "file_too_large", `The file is larger than ${limits.maxFileSize} bytes.`);
  const [essence = ""] = type.split(";");
  const mime = essence.trim().toLowerCase();
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

  const request: CreateUploadRequest = { file: { name, size, type: mime, ...(typeof maxSize === "number" ? { maxSize } : {}) } };
  if (typeof lessonId === "string") request.lessonId = lessonId;
  try {
    const requested = readRequestedSettings(body.requested);
    if (Object.keys(requested).length > 0) request.requested = requested;
  } catch (error) {
    return { ok: false, error: error as VideoError };
  }
  if (body.generatedCaptions !== undefined && body.generatedCaptions !== null) {
    if (!Array.isArray(body.generatedCaptions) || body.generatedCaptions.length > 5) {
      return fail(400, "bad_request", "generatedCaptions must be an array of at most 5 { languageCode, name? }.");
    }
    try {
      request.generatedCaptions = body.generatedCaptions.map((entry) => validateGenerateCaptions(entry));
    } catch (error) {
      return { ok: false, error: error as VideoError };
    }
  }
  return { ok: true, request };
}

/** BCP 47 shape: a 2–3 letter language, then up to three subtags ("en", "pt-BR", "zh-Hant-TW"). */
const languageCodePattern = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;
/** Control characters never belong in a label or file name. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const controlCharacters = /[\u0000-\u001f\u007f]/;
/** Control characters and path separators have no place in a file name a person chose. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const forbiddenInFileName = /[\u0000-\u001f\u007f/\\]/;

function readLabel(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "" || value.length > 128 || controlCharacters.test(value)) {
    throw httpError(400, "bad_request", `${what} must be 1 to 128 characters without control characters.`);
  }
  return value.trim();
}

function readLanguageCode(value: unknown): string {
  if (typeof value !== "string" || !languageCodePattern.test(value)) {
    throw httpError(400, "bad_request", "languageCode must be a BCP 47 language code such as en or pt-BR.");
  }
  return value;
}

/** Body of `POST /assets/:id/captions/generate` (and each `generatedCaptions` entry of `POST /uploads`); throws a 400 `VideoError`. */
export function validateGenerateCaptions(body: unknown): GenerateCaptionsRequest {
  if (!isRecord(body)) throw httpError(400, "bad_request", "The body must be { languageCode, name? }.");
  const request: GenerateCaptionsRequest = { languageCode: readLanguageCode(body.languageCode) };
  const name = readLabel(body.name, "name");
  if (name !== undefined) request.name = name;
  return request;
}

/** A caption file as `POST /assets/:id/captions` carries it: the text and what it is. */
export interface AddCaptionBody {
  fileName: string;
  languageCode: string;
  name?: string | undefined;
  closedCaptions: boolean;
  /** The file's text (checked by content afterwards). */
  text: string;
}

/** Body of `POST /assets/:id/captions`; throws a 400 `VideoError`. The text's size and format are checked by the route. */
export function validateAddCaption(body: unknown): AddCaptionBody {
  if (!isRecord(body)) throw httpError(400, "bad_request", "The body must be { fileName, languageCode, name?, closedCaptions, text }.");
  const { fileName, closedCaptions, text } = body;
  if (typeof fileName !== "string" || fileName.length === 0 || fileName.length > 255 || forbiddenInFileName.test(fileName)) {
    throw httpError(400, "bad_request", "fileName must be 1 to 255 characters without control characters or slashes.");
  }
  if (typeof closedCaptions !== "boolean") throw httpError(400, "bad_request", "closedCaptions must be true or false.");
  if (typeof text !== "string") throw httpError(400, "bad_request", "text must be the caption file's text.");
  const request: AddCaptionBody = { fileName, languageCode: readLanguageCode(body.languageCode), closedCaptions, text };
  const name = readLabel(body.name, "name");
  if (name !== undefined) request.name = name;
  return request;
}

/** A checked `POST /assets` body: the link (not yet checked for what it points at), the lesson and the requested settings. */
export interface ImportRequestBody {
  url: string;
  lessonId?: string | undefined;
  requested: RequestedAssetSettings;
}

/** Checks the body of `POST /assets`: `{ url, lessonId? }`, the lesson id under the upload rules. */
export function validateImportRequest(body: unknown, limits: ServerUploadLimits): ImportRequestBody {
  if (!isRecord(body) || typeof body.url !== "string" || body.url === "") {
    throw httpError(400, "bad_request", "The body must be { url, lessonId?, requested? }.");
  }
  const requested = readRequestedSettings(body.requested);
  const { lessonId } = body;
  if (lessonId !== undefined && lessonId !== null) {
    if (typeof lessonId !== "string" || !limits.lessonIdPattern.test(lessonId)) throw httpError(400, "bad_request", "lessonId does not have the shape of a lesson id.");
    return { url: body.url, lessonId, requested };
  }
  if (limits.requireLessonId) throw httpError(400, "bad_request", "lessonId is required.");
  return { url: body.url, requested };
}
