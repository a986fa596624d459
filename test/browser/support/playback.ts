/** What the playback tests use of a `<mux-player>` (or a media element). */
export type PlayableMedia = HTMLElement & { currentTime: number; duration: number; play(): Promise<void>; pause(): void };

/** Plays `media` until its time reaches `seconds` (a `timeupdate` says so), then pauses it. */
export async function playUntil(media: PlayableMedia, seconds: number): Promise<void> {
  const reached = new Promise<void>((resolve) => {
    const check = () => {
      if (media.currentTime < seconds) return;
      media.removeEventListener("timeupdate", check);
      resolve();
    };
    media.addEventListener("timeupdate", check);
  });
  await media.play();
  await reached;
  media.pause();
}
