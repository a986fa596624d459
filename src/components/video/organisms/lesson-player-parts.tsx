"use client";
// What `LessonPlayer` shows beside the video: the chapter list and the interactive transcript. They load with
// `import()` when the lesson has chapters or captions, so a page with a player carries only the player until then.
import type { MuxPlayerRefAttributes } from "@mux/mux-player-react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { cueIndexAt, searchTranscript, transcriptFromVtt, type TranscriptCue } from "../../../core/transcript.js";
import { trimCues } from "../../../core/trim.js";
import type { CaptionTrack, Chapter, VideoAsset, VideoTrim } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { clock } from "../../shared/format.js";
import { formatMessage, type ComponentMessages } from "../../messages.js";


type Player = MuxPlayerRefAttributes | null;

/** The player's current time, updated on its time updates and seeks (a few times a second while playing). */
function usePlayerTime(player: Player): number {
  const [time, setTime] = useState(0);
  useEffect(() => {
    if (!player) return;
    const update = () => setTime(player.currentTime || 0);
    update();
    for (const type of ["timeupdate", "seeked", "loadedmetadata"]) player.addEventListener(type, update);
    return () => {
      for (const type of ["timeupdate", "seeked", "loadedmetadata"]) player.removeEventListener(type, update);
    };
  }, [player]);
  return time;
}

/**
 * Scrolls `list` (and only it: the page and the focus stay where they are) so its child `index` is in view, a third
 * from the top, when it is not in view already.
 */
function keepInView(list: HTMLElement | null, index: number): void {
  const item = list?.children[index] as HTMLElement | undefined;
  if (!list || !item) return;
  const top = item.offsetTop;
  const bottom = top + item.offsetHeight;
  if (top >= list.scrollTop && bottom <= list.scrollTop + list.clientHeight) return;
  list.scrollTop = Math.max(0, top - list.clientHeight / 3);
}

interface PartProps {
  player: Player;
  messages: ComponentMessages;
  unstyled: boolean | undefined;
  onSeek: (time: number) => void;
}

export interface ChapterListProps extends PartProps {
  chapters: readonly Chapter[];
}

/** The lesson's chapters as buttons, the one playing marked (`aria-current`); select one to go there. */
export function ChapterList({ chapters, player, messages, unstyled, onSeek }: ChapterListProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const time = usePlayerTime(player);
  const sorted = useMemo(() => [...chapters].sort((a, b) => a.startTime - b.startTime), [chapters]);
  let current = -1;
  sorted.forEach((chapter, index) => {
    if (chapter.startTime <= time) current = index;
  });
  return (
    <nav className={kit("lvk-lesson-player__chapters")} aria-label={messages.learner.chapters}>
      <ol className={kit("lvk-lesson-player__list")}>
        {sorted.map((chapter, index) => (
          <li key={`${chapter.startTime}-${chapter.title}`}>
            <button
              type="button"
              className={kit("lvk-lesson-player__item")}
              aria-current={index === current ? "true" : undefined}
              onClick={() => onSeek(chapter.startTime)}
            >
              <span className={kit("lvk-lesson-player__time")}>{clock(chapter.startTime)}</span>
              <span>{chapter.title}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export interface TranscriptProps extends PartProps {
  asset: VideoAsset;
  /** The clip the player plays with its times from 0: the cues move onto it (those outside it go). */
  trim?: VideoTrim | undefined;
}

/** Where a caption track's WebVTT is: its own `src` (the emulator, other backends), else Mux's text URL. */
function trackUrl(asset: VideoAsset, track: CaptionTrack): string | undefined {
  if (track.src) return track.src;
  if (!asset.playbackId) return undefined;
  const token = asset.playback?.tokens?.playback;
  return `https://stream.mux.com/${encodeURIComponent(asset.playbackId)}/text/${encodeURIComponent(track.id)}.vtt${token ? `?token=${encodeURIComponent(token)}` : ""}`;
}

type Loaded = { url: string; cues: TranscriptCue[] } | { url: string; failed: true };

const noCues: TranscriptCue[] = [];

/**
 * The transcript of the caption track in the player's caption language: each cue a button with its time (select to
 * go there), the one being spoken marked (`aria-current`) and kept in view inside the list without moving focus, and
 * a search with a match count and previous/next. Not a live region: a screen reader reads it on demand.
 */
export function Transcript({ asset, trim, player, messages, unstyled, onSeek }: TranscriptProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const learner = messages.learner;
  const headingId = useId();
  const tracks = useMemo(() => (asset.captions ?? []).filter((track) => track.status === "ready"), [asset.captions]);
  const [language, setLanguage] = useState<string | undefined>(undefined);
  const track = tracks.find((candidate) => candidate.languageCode === language) ?? tracks[0];
  const url = track ? trackUrl(asset, track) : undefined;
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [query, setQuery] = useState("");
  const [match, setMatch] = useState(0);
  const listRef = useRef<HTMLOListElement>(null);
  const time = usePlayerTime(player);

  // Follows the caption language chosen in the player's menu: a language shown when nothing was chosen here yet, and
  // any later switch to another one (the player turning its default captions on does not undo a choice made here).
  const chosenHere = useRef(false);
  useEffect(() => {
    const textTracks = player?.media?.textTracks;
    if (!textTracks) return;
    let seen: string | undefined;
    const follow = () => {
      let showing: string | undefined;
      for (let index = 0; index < textTracks.length; index++) {
        const candidate = textTracks[index];
        if (candidate?.mode === "showing" && (candidate.kind === "captions" || candidate.kind === "subtitles") && candidate.language) showing = candidate.language;
      }
      if (showing === undefined || showing === seen) return;
      const switched = seen !== undefined;
      seen = showing;
      if (switched || !chosenHere.current) setLanguage(showing);
    };
    follow();
    textTracks.addEventListener("change", follow);
    return () => textTracks.removeEventListener("change", follow);
  }, [player]);

  // The track's file is the upload's: on a clipped timeline its cues move with the clip.
  const trimStart = trim?.startTime;
  const trimEnd = trim?.endTime;
  useEffect(() => {
    if (!url) return;
    const stop = new AbortController();
    const clip = trimStart !== undefined && trimEnd !== undefined ? { startTime: trimStart, endTime: trimEnd } : undefined;
    fetch(url, { signal: stop.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        setLoaded({ url, cues: trimCues(transcriptFromVtt(await response.text()), clip) });
      })
      .catch(() => {
        if (!stop.signal.aborted) setLoaded({ url, failed: true });
      });
    return () => stop.abort();
  }, [url, trimStart, trimEnd]);

  const shown = loaded !== undefined && loaded.url === url ? loaded : undefined;
  const cues = shown && "cues" in shown ? shown.cues : noCues;
  const failed = shown !== undefined && "failed" in shown;
  const current = cueIndexAt(cues, time);
  const matches = useMemo(() => searchTranscript(cues, query, messages.locale), [cues, query, messages.locale]);
  const matched = useMemo(() => new Set(matches), [matches]);
  const at = Math.min(match, Math.max(0, matches.length - 1));

  // The cue being spoken stays in view while nobody is searching; a match in view while they are.
  useEffect(() => {
    if (query.trim() === "") keepInView(listRef.current, current);
  }, [current, query]);
  useEffect(() => {
    const index = matches[at];
    if (index !== undefined) keepInView(listRef.current, index);
  }, [matches, at]);

  const step = (by: number) => setMatch((at + by + matches.length) % matches.length);
  return (
    <section className={kit("lvk-lesson-player__transcript")} aria-labelledby={headingId}>
      <div className={kit("lvk-lesson-player__transcript-head")}>
        <h2 id={headingId} className={kit("lvk-lesson-player__heading")}>
          {learner.transcript}
        </h2>
        {tracks.length > 1 ? (
          <select
            className={kit("lvk-field__control lvk-lesson-player__language")}
            aria-label={learner.transcriptLanguage}
            value={track?.languageCode}
            onChange={(event) => {
              chosenHere.current = true;
              setLanguage(event.currentTarget.value);
            }}
          >
            {tracks.map((option) => (
              <option key={option.id} value={option.languageCode} lang={option.languageCode}>
                {option.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      <div className={kit("lvk-lesson-player__search")} role="search">
        <input
          type="search"
          className={kit("lvk-field__control")}
          aria-label={learner.search}
          placeholder={learner.search}
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            setMatch(0);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter" && matches.length > 0) {
              event.preventDefault();
              step(event.shiftKey ? -1 : 1);
            }
          }}
        />
        {query.trim() !== "" ? (
          <>
            <span className={kit("lvk-lesson-player__matches")} role="status">
              {matches.length === 0 ? learner.noMatches : formatMessage(learner.matches, { current: at + 1, count: matches.length }, messages.locale)}
            </span>
            <button type="button" className={kit("lvk-button")} aria-label={learner.previousMatch} disabled={matches.length === 0} onClick={() => step(-1)}>
              <span aria-hidden="true">↑</span>
            </button>
            <button type="button" className={kit("lvk-button")} aria-label={learner.nextMatch} disabled={matches.length === 0} onClick={() => step(1)}>
              <span aria-hidden="true">↓</span>
            </button>
          </>
        ) : null}
      </div>
      {!shown ? (
        <p className={kit("lvk-lesson-player__note")}>{learner.transcriptLoading}</p>
      ) : failed || cues.length === 0 ? (
        <p className={kit("lvk-lesson-player__note")}>{learner.transcriptUnavailable}</p>
      ) : (
        <ol ref={listRef} className={kit("lvk-lesson-player__list lvk-lesson-player__cues")} lang={track?.languageCode}>
          {cues.map((cue, index) => (
            <li key={cue.id}>
              <button
                type="button"
                className={kit("lvk-lesson-player__item")}
                aria-current={index === current ? "true" : undefined}
                data-match={matched.has(index) ? (index === matches[at] ? "current" : "") : undefined}
                onClick={() => onSeek(cue.start)}
              >
                <span className={kit("lvk-lesson-player__time")}>{clock(cue.start)}</span>
                {/* A caption in the other direction than the page (Arabic captions on an English page) lays out by its own. */}
                <span dir="auto">{cue.text}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
