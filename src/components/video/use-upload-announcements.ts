"use client";
import { useEffect, useRef } from "react";
import type { UploadState } from "../../core/types.js";
import { useAnnounce } from "../shared/live-announcer.js";
import type { UploadMessages } from "../messages.js";
import { uploadAnnouncement } from "./upload-announcements.js";

/** Speaks an upload's milestones through the nearest `LiveAnnouncer`; `enabled: false` keeps quiet. */
export function useUploadAnnouncements(state: UploadState, messages: UploadMessages, enabled = true): void {
  const announce = useAnnounce();
  const previous = useRef(state);
  useEffect(() => {
    const before = previous.current;
    previous.current = state;
    if (!enabled || before === state) return;
    const message = uploadAnnouncement(before, state, messages);
    if (message) announce(message);
  }, [state, messages, enabled, announce]);
}
