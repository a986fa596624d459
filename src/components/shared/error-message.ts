import { videoErrorCodes, type VideoErrorCode } from "../../core/errors.js";
import type { ComponentMessages } from "../messages.js";

/** What a message needs of an error: a `VideoError`, its `toJSON()`, or any `{ message }` (see `DisplayableError`). */
interface ErrorLike {
  message: string;
  code?: string | undefined;
}

/** The message people read for an error: the messages entry for its code, else its own message. */
export function errorMessageFor(error: ErrorLike, messages: Pick<ComponentMessages, "errors">): string {
  if (error.code && isKnownCode(error.code)) return messages.errors[error.code];
  return error.message;
}

function isKnownCode(code: string): code is VideoErrorCode {
  return (videoErrorCodes as readonly string[]).includes(code);
}
