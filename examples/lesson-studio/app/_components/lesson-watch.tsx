"use client";
/**
 * The lesson page's player: the package's LessonPlayer (chapters, captions, the transcript) under a
 * VideoProvider that talks to this app's /api/video routes. A learner's position and the parts they watched are
 * saved there and offered back ("Resume at …"); the lesson's creator watches without being recorded, so the
 * insights count learners only.
 */
import { type Chapter, createHttpTransport, LessonPlayer, type VideoAsset, VideoProvider, type VideoTrim } from "lesson-video-kit";
import { useState } from "react";

export interface LessonWatchProps {
  lessonId: string;
  asset: VideoAsset;
  title: string;
  chapters: Chapter[];
  thumbnailTime?: number | undefined;
  captionsOnByDefault: boolean;
  /** The part of the video learners see (migration 005). */
  trim?: VideoTrim | undefined;
  /** The signed-in user's id: Mux Data's viewer id (an opaque id, no name or e-mail). */
  viewerId: string | undefined;
  /** Record progress (a learner) or not (the lesson's creator, or nobody signed in). */
  recordProgress: boolean;
  /** Offer casting: only with real Mux, since no Cast device can reach the emulator's 127.0.0.1 stream. */
  casting: boolean;
}

export function LessonWatch({ lessonId, asset, title, chapters, thumbnailTime, captionsOnByDefault, trim, viewerId, recordProgress, casting }: LessonWatchProps) {
  // One transport per mounted page: it holds no secrets, and the session cookie goes with its requests.
  const [transport] = useState(() => createHttpTransport({ baseUrl: "/api/video", progress: recordProgress }));
  return (
    // Mux Data (off for the emulator's `src` playback): the plan's environment key and the viewer's opaque id.
    <VideoProvider transport={transport} muxData={{ envKey: process.env.NEXT_PUBLIC_MUX_ENV_KEY, viewerId }}>
      <LessonPlayer
        lessonId={lessonId}
        asset={asset}
        title={title}
        chapters={chapters}
        resume={recordProgress}
        player={{ thumbnailTime, captionsOnByDefault, casting, trim, className: "lesson-video" }}
      />
    </VideoProvider>
  );
}
