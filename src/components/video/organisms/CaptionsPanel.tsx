"use client";
import { forwardRef, useCallback, useEffect, useId, useRef, useState, type HTMLAttributes } from "react";
import { isAbortError, toVideoError, type VideoError } from "../../../core/errors.js";
import type { CaptionTrack, VideoAsset, VideoTransport } from "../../../core/types.js";
import { useVideoClient } from "../../../react/video-context.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LiveAnnouncer, useAnnounce } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";
import { FormField } from "../../form/atoms/FormField.js";
import { CaptionFileInput, type CheckedCaptionFile } from "../atoms/CaptionFileInput.js";
import { ErrorDisplay } from "../atoms/ErrorDisplay.js";
import { LanguageSelect, generatedCaptionLanguages, languageName } from "../atoms/LanguageSelect.js";
import { CaptionTrackList } from "../molecules/CaptionTrackList.js";

/** `loading` (first list), `idle`, `busy` (adding, removing or generating) or `error` (the last request failed). */
export type CaptionsPanelState = "loading" | "idle" | "busy" | "error";

export interface CaptionsPanelProps extends Omit<HTMLAttributes<HTMLElement>, "children"> {
  /** A `ready` asset: the backend adds tracks to ready assets only. */
  asset: VideoAsset;
  /** Called whenever the list of tracks changes (e.g. to pass them to a `VideoPlayer`). */
  onTracksChange?: ((tracks: CaptionTrack[]) => void) | undefined;
  /** Language preselected for a new file and for generation. Default `"en"`. */
  defaultLanguage?: string | undefined;
  /** Languages offered for files; default `defaultCaptionLanguages`. */
  languages?: readonly string[] | undefined;
  /** Languages offered for generation; default Mux's list (`generatedCaptionLanguages`). */
  generateLanguages?: readonly string[] | undefined;
  /** Largest caption file, in bytes. Default 512 KiB. */
  maxBytes?: number | undefined;
  /** How often to ask for tracks still preparing, ms. Default 1000. */
  pollIntervalMs?: number | undefined;
  /** Ask before removing a track. Default true. */
  confirmRemove?: boolean | undefined;
  /** Offer "Generate captions" when the transport can. Default true. */
  allowGenerate?: boolean | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** A transport with the caption methods the panel cannot do without (`generateCaptions` stays optional). */
type CaptionTransport = VideoTransport & {
  [Method in "listCaptions" | "addCaption" | "removeCaption"]-?: NonNullable<VideoTransport[Method]>;
};

function hasCaptionMethods(transport: VideoTransport): transport is CaptionTransport {
  return Boolean(transport.listCaptions && transport.addCaption && transport.removeCaption);
}

/**
 * Captions of a ready video: the tracks with their status, a caption file to add (checked in the browser
 * first, language and closed-captions choice), remove with a confirmation, and captions generated from
 * the audio in a chosen language. Talks to the provider's transport; renders nothing when the transport
 * has no caption methods (`listCaptions`, `addCaption`, `removeCaption`). `data-state` is a `CaptionsPanelState`.
 */
export const CaptionsPanel = /* @__PURE__ */ forwardRef<HTMLElement, CaptionsPanelProps>(function CaptionsPanel(props, ref) {
  const { transport } = useVideoClient("<CaptionsPanel>");
  if (!hasCaptionMethods(transport)) return null;
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <CaptionsPanelView {...props} transport={transport} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const CaptionsPanelView = /* @__PURE__ */ forwardRef<HTMLElement, CaptionsPanelProps & { transport: CaptionTransport }>(function CaptionsPanelView(
  {
    transport,
    asset,
    onTracksChange,
    defaultLanguage = "en",
    languages,
    generateLanguages = generatedCaptionLanguages,
    maxBytes,
    pollIntervalMs = 1000,
    confirmRemove,
    allowGenerate = true,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...sectionProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const announce = useAnnounce();
  const [tracks, setTracks] = useState<CaptionTrack[] | null>(null);
  const [error, setError] = useState<VideoError | null>(null);
  // The backend does not know the asset (deleted, or another backend's): nothing to caption, so no panel.
  const [unknownAsset, setUnknownAsset] = useState(false);
  const [busy, setBusy] = useState<"adding" | "removing" | "generating" | null>(null);
  const [removingId, setRemovingId] = useState<string | undefined>(undefined);
  const [file, setFile] = useState<CheckedCaptionFile | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [language, setLanguage] = useState(defaultLanguage);
  const [closedCaptions, setClosedCaptions] = useState(false);
  const [generateLanguage, setGenerateLanguage] = useState(generateLanguages.includes(defaultLanguage) ? defaultLanguage : (generateLanguages[0] ?? "en"));
  const headingId = useId();
  const kit = (cls: string) => componentClassName(unstyled, cls, undefined);
  const onTracksChangeRef = useRef(onTracksChange);
  onTracksChangeRef.current = onTracksChange;
  const lifetime = useRef<AbortController | null>(null);

  const assetId = asset.id;
  const canGenerate = allowGenerate && typeof transport.generateCaptions === "function" && generateLanguages.length > 0;

  const tracksRef = useRef<CaptionTrack[] | null>(null);

  /** Applies a new list (or a change of the latest one): announces tracks that settled, tells the owner. */
  const receive = useCallback(
    (change: CaptionTrack[] | ((current: CaptionTrack[]) => CaptionTrack[])) => {
      const previous = tracksRef.current;
      const next = typeof change === "function" ? change(previous ?? []) : change;
      for (const track of next) {
        const before = previous?.find((t) => t.id === track.id);
        if (before?.status === "preparing" && track.status === "ready") announce(formatMessage(messages.captions.ready, { name: track.name }, messages.locale));
        if (before?.status === "preparing" && track.status === "errored") announce(formatMessage(messages.captions.errored, { name: track.name }, messages.locale));
      }
      tracksRef.current = next;
      setTracks(next);
      onTracksChangeRef.current?.(next);
    },
    [announce, messages],
  );

  // Load the list, then ask again while a track is preparing. One controller per asset; unmount aborts.
  const preparing = tracks?.some((track) => track.status === "preparing") ?? false;
  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    transport
      .listCaptions(assetId, { signal: controller.signal })
      .then((list) => {
        setUnknownAsset(false);
        receive(list);
      })
      .catch((thrown: unknown) => {
        if (isAbortError(thrown)) return;
        const failure = toVideoError(thrown);
        if (failure.code === "not_found") setUnknownAsset(true);
        else setError(failure);
      });
    return () => controller.abort();
  }, [transport, assetId, receive]);

  useEffect(() => {
    if (!preparing) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      transport
        .listCaptions(assetId, { signal: controller.signal })
        .then((list) => receive(list))
        .catch(() => {
          // A failed refresh keeps the last list; the next change of `tracks` or a new request tries again.
        });
    }, pollIntervalMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [transport, assetId, preparing, tracks, pollIntervalMs, receive]);

  const signal = () => lifetime.current?.signal ?? new AbortController().signal;

  const run = async (kind: "adding" | "removing" | "generating", work: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    try {
      await work();
    } catch (thrown) {
      if (!isAbortError(thrown)) {
        const failure = toVideoError(thrown);
        setError(failure);
        announce(failure.message);
      }
    } finally {
      setBusy(null);
      setRemovingId(undefined);
    }
  };

  const add = () =>
    run("adding", async () => {
      if (!file) return;
      const name = languageName(language, messages.locale);
      const track = await transport.addCaption(
        assetId,
        { file: file.file, fileName: file.file.name, languageCode: language, name, closedCaptions },
        { signal: signal() },
      );
      receive((current) => [...current.filter((t) => t.id !== track.id), track]);
      setFile(null);
      setFileKey((key) => key + 1);
      announce(formatMessage(messages.captions.added, { name: track.name }, messages.locale));
    });

  const remove = (track: CaptionTrack) => {
    setRemovingId(track.id);
    return run("removing", async () => {
      await transport.removeCaption(assetId, track.id, { signal: signal() });
      receive((current) => current.filter((t) => t.id !== track.id));
      announce(formatMessage(messages.captions.removed, { name: track.name }, messages.locale));
    });
  };

  const generate = () =>
    run("generating", async () => {
      if (!transport.generateCaptions) return;
      const name = languageName(generateLanguage, messages.locale);
      const track = await transport.generateCaptions(assetId, { languageCode: generateLanguage, name }, { signal: signal() });
      receive((current) => [...current.filter((t) => t.id !== track.id), track]);
      announce(formatMessage(messages.captions.generateRequested, { name }, messages.locale));
    });

  const state: CaptionsPanelState = tracks === null && !error ? "loading" : busy ? "busy" : error ? "error" : "idle";
  if (unknownAsset) return null;

  return (
    <section
      {...sectionProps}
      ref={ref}
      aria-labelledby={headingId}
      aria-busy={state === "loading" || undefined}
      data-state={state}
      className={componentClassName(unstyled, "lvk-captions", className)}
    >
      <h3 id={headingId} className={kit("lvk-captions__heading")}>
        {messages.captions.heading}
      </h3>
      <p className={kit("lvk-hint")}>{messages.captions.hint}</p>
      {tracks ? (
        <CaptionTrackList tracks={tracks} onRemove={remove} removingId={removingId} confirmRemove={confirmRemove} />
      ) : null}
      <ErrorDisplay error={error} />
      <div className={kit("lvk-captions__add")}>
        <CaptionFileInput
          key={fileKey}
          onFileChange={setFile}
          durationSeconds={asset.duration}
          maxBytes={maxBytes}
          disabled={busy === "adding"}
        />
        <FormField label={messages.captions.language}>
          <LanguageSelect value={language} onChange={setLanguage} languages={languages} />
        </FormField>
        <div className={kit("lvk-check")}>
          <input
            id={`${headingId}-cc`}
            type="checkbox"
            checked={closedCaptions}
            aria-describedby={`${headingId}-cc-hint`}
            className={kit("lvk-check__input")}
            onChange={(event) => setClosedCaptions(event.target.checked)}
          />
          <label htmlFor={`${headingId}-cc`} className={kit("lvk-check__label")}>
            {messages.captions.closedCaptions}
          </label>
          <p id={`${headingId}-cc-hint`} className={kit("lvk-hint lvk-check__hint")}>
            {messages.captions.closedCaptionsHint}
          </p>
        </div>
        <div className={kit("lvk-actions")}>
          <button type="button" className={kit("lvk-button lvk-button--primary")} disabled={!file || busy !== null} onClick={() => void add()}>
            {busy === "adding" ? messages.captions.adding : messages.captions.add}
          </button>
        </div>
      </div>
      {canGenerate ? (
        <div role="group" aria-labelledby={`${headingId}-generate`} className={kit("lvk-captions__generate")}>
          <p id={`${headingId}-generate`} className={kit("lvk-captions__subheading")}>
            {messages.captions.generateHeading}
          </p>
          <p className={kit("lvk-hint")}>{messages.captions.generateHint}</p>
          <FormField label={messages.captions.generateLanguage}>
            <LanguageSelect value={generateLanguage} onChange={setGenerateLanguage} languages={generateLanguages} />
          </FormField>
          <div className={kit("lvk-actions")}>
            <button type="button" className={kit("lvk-button")} disabled={busy !== null} onClick={() => void generate()}>
              {busy === "generating" ? messages.captions.generating : messages.captions.generate}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
});
