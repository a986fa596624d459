"use client";
/**
 * Keeps every player on the page from loading Google's Cast SDK: with the local emulator the video comes
 * from 127.0.0.1, which no Cast device can reach, and the studio makes no request off the machine.
 *
 * mux-player's media element (castable-video) loads `www.gstatic.com/cv/js/sender/v1/cast_sender.js` the
 * first time media-chrome asks for its `remote` (in Chromium, `window.chrome` exists), unless the media
 * has the standard `disableremoteplayback` attribute. mux-player has no prop for it, so this sets it on
 * each player's media as soon as the player is in the page, before media-chrome attaches to it (that
 * happens after the insertion's microtasks, which is where a MutationObserver runs).
 */
import { useEffect } from "react";

type PlayerElement = HTMLElement & { media?: HTMLElement | null };

function disableRemotePlayback(root: ParentNode): void {
  for (const player of root.querySelectorAll<PlayerElement>("mux-player")) {
    const media = player.media ?? player.shadowRoot?.querySelector("mux-video");
    if (media && !media.hasAttribute("disableremoteplayback")) media.setAttribute("disableremoteplayback", "");
  }
}

export function LocalPlaybackOnly(): null {
  useEffect(() => {
    const observer = new MutationObserver(() => disableRemotePlayback(document));
    observer.observe(document.body, { subtree: true, childList: true });
    disableRemotePlayback(document);
    return () => observer.disconnect();
  }, []);
  return null;
}
