import { checkCaptionText } from "./captions.js";

/** One line of a transcript: a caption cue's time and its text (tags and line breaks flattened). */
export interface TranscriptCue {
  /** The cue's id, else its index. */
  id: string;
  start: number;
  end: number;
  text: string;
}

/** The text of a cue as a reader sees it: WebVTT tags (`<v Speaker>`, `<b>`, timestamps) removed, lines joined. */
export function cueText(raw: string): string {
  return raw
    .replace(/<[^>]*>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

/** The cues of a loaded text track (`track.mode` must be `hidden` or `showing` for the browser to load them), in time order. */
export function transcriptFromTextTrack(track: TextTrack): TranscriptCue[] {
  const cues: TranscriptCue[] = [];
  const list = track.cues;
  if (!list) return cues;
  for (let index = 0; index < list.length; index++) {
    const cue = list[index] as (TextTrackCue & { text?: string }) | undefined;
    if (!cue) continue;
    const text = cueText(cue.text ?? "");
    if (text) cues.push({ id: cue.id || String(index), start: cue.startTime, end: cue.endTime, text });
  }
  return cues.sort((a, b) => a.start - b.start);
}

/**
 * The index of the cue being spoken at `time`: the last cue that started at or before it and has not ended; between
 * cues, `-1`. Cues sorted by start.
 */
export function cueIndexAt(cues: readonly TranscriptCue[], time: number): number {
  let low = 0;
  let high = cues.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((cues[middle]?.start ?? Infinity) <= time) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  // Overlapping cues: the latest one still running.
  for (let index = found; index >= 0; index--) if ((cues[index]?.end ?? 0) > time) return index;
  return -1;
}

/** Lower case without accents, for matching "résumé" with "resume" (locale-aware case folding). */
const fold = (text: string, locale?: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase(locale);

/**
 * The cues whose text contains `query` (case and accents ignored; every word of the query, in any order), as
 * indexes in time order. An empty query matches nothing.
 */
export function searchTranscript(cues: readonly TranscriptCue[], query: string, locale?: string): number[] {
  const words = fold(query, locale).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const found: number[] = [];
  cues.forEach((cue, index) => {
    const text = fold(cue.text, locale);
    if (words.every((word) => text.includes(word))) found.push(index);
  });
  return found;
}

/** Seconds of a WebVTT timestamp (`01:02:03.456` or `02:03.456`). */
function seconds(stamp: string): number {
  const parts = stamp.trim().split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** The cues of a WebVTT file, in time order; a file that is not valid WebVTT gives none. */
export function transcriptFromVtt(text: string): TranscriptCue[] {
  const cues: TranscriptCue[] = [];
  const result = checkCaptionText(text, {}, (cue) => {
    const line = cueText(cue.text.join("\n"));
    if (line) cues.push({ id: String(cues.length), start: seconds(cue.start), end: seconds(cue.end), text: line });
  });
  return result.ok ? cues.sort((a, b) => a.start - b.start) : [];
}
