import { Component, type ErrorInfo, type ReactNode } from "react";
import { isVideoError } from "../core/errors.js";
import { useVideoMessages } from "./use-video-messages.js";

/** What a `fallback` function receives. */
export interface VideoErrorBoundaryFallbackProps {
  /** The error a child threw while rendering (anything thrown that is not an `Error` is wrapped in one). */
  error: Error;
  /** Clears the error and renders the children again (bound: pass it on as it is). */
  reset: () => void;
}

/** Props of `VideoErrorBoundary`. */
export interface VideoErrorBoundaryProps {
  /** The video UI to guard: a player, an uploader, a whole lesson editor. */
  children?: ReactNode | undefined;
  /**
   * What to render instead of the children after an error: a node, or a function that gets the error and
   * `reset`. Default: an alert (`role="alert"`, `data-video-error-boundary`) with the message and a button
   * that resets.
   */
  fallback?: (ReactNode | ((props: VideoErrorBoundaryFallbackProps) => ReactNode)) | undefined;
  /** Report the error (logging, monitoring). */
  onError?: ((error: Error, info: ErrorInfo) => void) | undefined;
  /** Called when the boundary resets (by `reset()` or a change of `resetKeys`). */
  onReset?: (() => void) | undefined;
  /** The boundary resets when any of these change (e.g. the lesson id). */
  resetKeys?: readonly unknown[] | undefined;
  /**
   * Text of the default fallback for errors that are not `VideoError`s (a `VideoError` shows its code's
   * message). Default "Something went wrong while showing this video."
   */
  fallbackMessage?: string | undefined;
  /** Label of the default fallback's button. Default "Try again". */
  resetLabel?: string | undefined;
}

/** `VideoErrorBoundary`'s React state (exported because the class's public signature names it). */
export interface VideoErrorBoundaryState {
  /** The caught error; `null` while the children render. */
  error: Error | null;
}

const changed = (a: readonly unknown[] = [], b: readonly unknown[] = []) =>
  a.length !== b.length || a.some((value, i) => !Object.is(value, b[i]));

function DefaultFallback(props: { error: Error; reset: () => void; fallbackMessage: string | undefined; resetLabel: string | undefined }): ReactNode {
  const messages = useVideoMessages();
  const text = isVideoError(props.error) ? messages[props.error.code] : (props.fallbackMessage ?? "Something went wrong while showing this video.");
  return (
    <div role="alert" data-video-error-boundary="">
      <p>{text}</p>
      <button type="button" onClick={props.reset}>
        {props.resetLabel ?? "Try again"}
      </button>
    </div>
  );
}

/**
 * Catches render errors of the video UI under it, so a broken player or uploader does not take the page
 * down. A `VideoError` shows its message (the provider's `messages` apply); anything else shows
 * `fallbackMessage`. `reset()` renders the children again. Like every React error boundary it catches
 * errors thrown while rendering, not in event handlers or promises (upload failures arrive as
 * `state.error` of `useVideo()` instead).
 *
 * @example
 * <VideoErrorBoundary resetKeys={[lessonId]} onError={(error) => reportError(error)}>
 *   <VideoManager lessonId={lessonId} />
 * </VideoErrorBoundary>
 */
export class VideoErrorBoundary extends Component<VideoErrorBoundaryProps, VideoErrorBoundaryState> {
  /** The caught error; React's component state. */
  override state: VideoErrorBoundaryState = { error: null };

  /** React calls this after a child throws: keeps the error (wrapped in an `Error` when it is not one). */
  static getDerivedStateFromError(error: unknown): VideoErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override componentDidUpdate(previous: VideoErrorBoundaryProps): void {
    if (this.state.error && changed(previous.resetKeys, this.props.resetKeys)) this.reset();
  }

  /** Calls `onReset`, clears the error and renders the children again; the default fallback's button calls it. */
  reset = (): void => {
    this.props.onReset?.();
    this.setState({ error: null });
  };

  /** The children, or after an error the `fallback` (the default alert when there is none). */
  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { fallback } = this.props;
    if (typeof fallback === "function") return fallback({ error, reset: this.reset });
    if (fallback !== undefined) return fallback;
    return <DefaultFallback error={error} reset={this.reset} fallbackMessage={this.props.fallbackMessage} resetLabel={this.props.resetLabel} />;
  }
}
