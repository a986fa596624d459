// The caption check's vocabulary and English messages, apart from the parser (captions.ts): the
// components' default messages include these strings without carrying the parser.

/** Caption formats the backend takes (Mux ingests both). */
export type CaptionFormat = "vtt" | "srt";

/**
 * Why a caption file was refused, in the same words the server's check uses (`details.problem` of the
 * `caption_invalid` error), plus `too_large` and `past_end`, which only the browser knows about.
 */
export type CaptionProblem = "too_large" | "empty" | "not_text" | "not_captions" | "bad_timing" | "no_cues" | "past_end";

/** The precise finding (`details.reason`); each has a message in `defaultCaptionMessages`. */
export type CaptionIssue =
  | "too_large"
  | "empty"
  | "not_utf8"
  | "binary"
  | "no_signature"
  | "bad_signature"
  | "header_not_separated"
  | "cue_number"
  | "timing_missing"
  | "timing_syntax"
  | "timing_order"
  | "past_end"
  | "arrow_in_text"
  | "no_cues";

/**
 * English text for every `CaptionIssue`. `{line}` is the 1-based line number; `{text}` the offending
 * text; `{max}`, `{time}`, `{start}`, `{end}`, `{duration}` and `{example}` are filled where they apply.
 */
export const defaultCaptionMessages: Readonly<Record<CaptionIssue, string>> = {
  too_large: "The caption file is larger than {max}.",
  empty: "The caption file is empty.",
  not_utf8: "Line {line}: the text is not UTF-8. Save the file as UTF-8 and choose it again.",
  binary: "Line {line}: this is not a text file.",
  no_signature: "Line {line}: a WebVTT file starts with “WEBVTT”, an SRT file with the cue number 1.",
  bad_signature: "Line {line}: “WEBVTT” must stand alone or be followed by a space.",
  header_not_separated: "Line {line}: leave a blank line between the WEBVTT header and the first cue.",
  cue_number: "Line {line}: expected a cue number, found “{text}”.",
  timing_missing: "Line {line}: expected a cue timing like {example}.",
  timing_syntax: "Line {line}: “{text}” is not a cue timing. Write it like {example}.",
  timing_order: "Line {line}: the cue ends ({end}) before or when it starts ({start}).",
  past_end: "Line {line}: {time} is after the end of the video ({duration}).",
  arrow_in_text: "Line {line}: cue text cannot contain “-->”. Leave a blank line between cues.",
  no_cues: "The caption file has no cues.",
};
