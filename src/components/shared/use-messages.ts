"use client";
import { defaultMessages, defaultSingleMessages } from "../default-messages.js";
import type { ComponentMessages, MessagesOverride, SingleComponentMessages } from "../messages.js";
import { useMessagesOver } from "./messages-context.js";

/**
 * The messages a component renders: English defaults, the `VideoProvider`'s error messages, the nearest
 * `MessagesProvider`'s overrides, then the component's own `messages` prop.
 */
export function useMessages(override?: MessagesOverride): SingleComponentMessages {
  return useMessagesOver(defaultSingleMessages, override);
}

/** `useMessages` with `BulkUploader`'s groups too (only that organism carries their strings). */
export function useAllMessages(override?: MessagesOverride): ComponentMessages {
  return useMessagesOver(defaultMessages, override);
}
