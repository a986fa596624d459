"use client";
import { forwardRef, useEffect, useId, useRef, useState, type DragEvent, type HTMLAttributes, type SyntheticEvent } from "react";
import { filesFromDataTransfer, filesFromInput } from "../../../core/folder-files.js";
import { lazyModule } from "../../../core/lazy-module.js";
import { preloadUploadWork } from "../../../core/upload-controller.js";
import { acceptAttribute } from "../../../core/upload-limits.js";
import type { QueueFileInput, QueueItem } from "../../../core/upload-queue.js";
import { useUploadQueue, type UseUploadQueueOptions, type UseUploadQueueResult } from "../../../react/use-upload-queue.js";
import { useVideoLimits } from "../../../react/use-video-messages.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { LiveAnnouncer, useAnnounce } from "../../shared/live-announcer.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { useAllMessages } from "../../shared/use-messages.js";
import { formatList } from "../../shared/format.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";

/** Props of `BulkUploader`; the queue options are read once, when it mounts. Other `div` attributes go to its root. */
export interface BulkUploaderProps
  extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange">,
    UseUploadQueueOptions {
  /** A queue you hold yourself (`useUploadQueue()`), e.g. to show its items elsewhere too. Its options win. */
  queue?: UseUploadQueueResult | undefined;
  /** Called once per item when its video is ready. */
  onItemComplete?: ((item: QueueItem) => void) | undefined;
  /** Offer "Choose a folder" (an `<input webkitdirectory>`). Default true. */
  folders?: boolean | undefined;
  /** Offer "Add from link" when the transport can import (`importFromUrl`). Default true. */
  links?: boolean | undefined;
  /** Accepted types for the pickers. Default: what the provider's limits accept (`video/*`, with `audio/*` when `limits.audio` is on, and the allowed extensions). */
  accept?: string | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/**
 * Many videos at once: drop files or a whole folder (read recursively; what is not a video is listed as not
 * added, with why), or pick them; they upload a few at a time with per-item progress, pause, resume, cancel,
 * retry, remove and "upload next", overall progress and time left, and one polite summary for screen readers.
 * With a `manifest` the batch survives a reload. Needs a `VideoProvider` above it. `data-state` is `empty`,
 * `active`, `held`, `paused` or `settled`. The list's code loads when the first file arrives.
 *
 * @example
 * <BulkUploader
 *   manifest={createIndexedDbQueueManifestStore()}
 *   onItemAdded={async ({ file }) => ({ lessonId: (await createDraftLesson(file.name)).id })}
 * />
 */
export const BulkUploader = /* @__PURE__ */ forwardRef<HTMLDivElement, BulkUploaderProps>(function BulkUploader(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>{props.queue ? <BulkUploaderView {...props} queue={props.queue} ref={ref} /> : <OwnQueue {...props} ref={ref} />}</LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const OwnQueue = /* @__PURE__ */ forwardRef<HTMLDivElement, BulkUploaderProps>(function OwnQueue(props, ref) {
  const {
    concurrency,
    limits,
    onEvent,
    onItemAdded,
    onItemUpload,
    manifest,
    controller,
    createId,
    transport,
    restore,
    ...rest
  } = props;
  const queue = useUploadQueue({ concurrency, limits, onEvent, onItemAdded, onItemUpload, manifest, controller, createId, transport, restore });
  return <BulkUploaderView {...rest} queue={queue} ref={ref} />;
});

type ViewProps = Omit<BulkUploaderProps, keyof UseUploadQueueOptions | "queue"> & { queue: UseUploadQueueResult };

const BulkUploaderView = /* @__PURE__ */ forwardRef<HTMLDivElement, ViewProps>(function BulkUploaderView(
  { queue: { snapshot, queue }, onItemComplete, folders = true, links = true, accept: acceptProp, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  // The picker offers what the provider's limits accept (audio too when `limits.audio` is on); the checks decide.
  const limits = useVideoLimits();
  const accept = acceptProp ?? acceptAttribute(limits);
  const unstyled = useUnstyled(unstyledProp);
  const messages = useAllMessages(messagesProp);
  const bulk = messages.bulk;
  const announce = useAnnounce();
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const list = useLazyModule(bulkUploaderList, snapshot.items.length > 0);
  const [linkOpen, setLinkOpen] = useState(false);
  const [link, setLink] = useState("");
  const linkField = useRef<HTMLInputElement>(null);
  const addLinkButton = useRef<HTMLButtonElement>(null);
  const linkId = useId();
  const canLink = links && queue.canImport;
  useEffect(() => {
    if (linkOpen) linkField.current?.focus();
  }, [linkOpen]);
  const closeLink = () => {
    setLinkOpen(false);
    setLink("");
    // Back to the button that opened the form (it is rendered again after this update).
    queueMicrotask(() => addLinkButton.current?.focus());
  };
  const submitLink = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const url = link.trim();
    if (!url) return;
    queue.addLink(url);
    announce(formatMessage(bulk.announceLinkAdded, { url }, messages.locale));
    closeLink();
  };
  useEffect(preloadUploadWork, []);

  const add = async (inputs: QueueFileInput[]) => {
    if (inputs.length === 0) return;
    const result = await queue.addFiles(inputs);
    const added = result.added.length + result.matched.length;
    const parts = [added > 0 ? formatMessage(bulk.announceAdded, { count: added }, messages.locale) : ""];
    if (result.refused.length > 0) {
      parts.push(formatMessage(bulk.announceRefused, { count: result.refused.length, names: formatList(result.refused.map((refusal) => refusal.path), messages.locale) }, messages.locale));
    }
    announce(parts.filter(Boolean).join(" "));
  };

  // One summary when the batch settles or is held, never one announcement per item.
  const { counts } = snapshot.totals;
  const busy = counts.queued + counts.validating + counts.requesting + counts.uploading + counts.processing;
  const settled = snapshot.items.length > 0 && busy === 0 && counts.paused === 0;
  const lastSummary = useRef("");
  useEffect(() => {
    const summary = snapshot.held
      ? formatMessage(bulk.announceHeld, { message: messages.errors[snapshot.held.code] }, messages.locale)
      : settled && counts.complete + counts.error > 0
        ? formatMessage(bulk.announceFinished, { done: counts.complete, failed: counts.error }, messages.locale)
        : "";
    if (summary && summary !== lastSummary.current) announce(summary);
    lastSummary.current = summary;
  }, [snapshot.held, settled, counts.complete, counts.error, bulk, messages.errors, messages.locale, announce]);

  const completed = useRef(new Set<string>());
  useEffect(() => {
    for (const item of snapshot.items) {
      if (item.status !== "complete" || completed.current.has(item.id)) continue;
      completed.current.add(item.id);
      onItemComplete?.(item);
    }
  }, [snapshot.items, onItemComplete]);

  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setDragging(true);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    // Synchronously, in the handler: the browser empties the DataTransfer once it returns.
    void filesFromDataTransfer(event.dataTransfer).then(add);
  };

  const state = snapshot.items.length === 0 ? "empty" : snapshot.held ? "held" : snapshot.paused ? "paused" : settled ? "settled" : "active";
  return (
    <div {...divProps} ref={ref} data-state={state} className={componentClassName(unstyled, "lvk-bulk", className)}>
      <div
        className={kit("lvk-bulk__dropzone")}
        data-state={dragging ? "dragging" : "idle"}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p className={kit("lvk-bulk__hint")}>{dragging ? bulk.dropzoneActive : bulk.dropzoneHint}</p>
        <div className={kit("lvk-bulk__pickers")}>
          <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={() => filesInput.current?.click()}>
            {bulk.chooseFiles}
          </button>
          {folders ? (
            <button type="button" className={kit("lvk-button")} onClick={() => folderInput.current?.click()}>
              {bulk.chooseFolder}
            </button>
          ) : null}
          {canLink && !linkOpen ? (
            <button ref={addLinkButton} type="button" className={kit("lvk-button")} onClick={() => setLinkOpen(true)}>
              {bulk.addLink}
            </button>
          ) : null}
        </div>
        {canLink && linkOpen ? (
          <form className={kit("lvk-bulk__link")} onSubmit={submitLink}>
            <label htmlFor={`${linkId}-url`} className={kit("lvk-bulk__link-label")}>
              {bulk.linkLabel}
            </label>
            <input
              ref={linkField}
              id={`${linkId}-url`}
              type="url"
              inputMode="url"
              required
              value={link}
              aria-describedby={`${linkId}-hint`}
              className={kit("lvk-field__control")}
              onChange={(event) => setLink(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === "Escape") closeLink();
              }}
            />
            <span id={`${linkId}-hint`} className={kit("lvk-hint")}>
              {bulk.linkHint}
            </span>
            <div className={kit("lvk-bulk__pickers")}>
              <button type="submit" className={kit("lvk-button lvk-button--primary")}>
                {bulk.linkSubmit}
              </button>
              <button type="button" className={kit("lvk-button")} onClick={closeLink}>
                {bulk.linkCancel}
              </button>
            </div>
          </form>
        ) : null}
        <input
          ref={filesInput}
          type="file"
          multiple
          accept={accept}
          hidden
          data-lvk-input="files"
          onChange={(event) => {
            const inputs = filesFromInput(event.currentTarget.files ?? []);
            event.currentTarget.value = "";
            void add(inputs);
          }}
        />
        {folders ? (
          <input
            ref={folderInput}
            type="file"
            multiple
            hidden
            data-lvk-input="folder"
            // Not in React's typings; every current browser supports it.
            {...{ webkitdirectory: "" }}
            onChange={(event) => {
              const inputs = filesFromInput(event.currentTarget.files ?? []);
              event.currentTarget.value = "";
              void add(inputs);
            }}
          />
        ) : null}
      </div>
      {snapshot.items.length > 0 ? (
        <LazyPart state={list}>
          {(parts) => <parts.BulkQueueList snapshot={snapshot} queue={queue} />}
        </LazyPart>
      ) : null}
    </div>
  );
});

/** The list, its rows and the overall bar: loaded when the first file is added. */
const bulkUploaderList = /* @__PURE__ */ lazyModule(() => import("./bulk-uploader-list.js"));
