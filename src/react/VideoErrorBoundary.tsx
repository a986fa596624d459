import { Component, type ErrorInfo, type ReactNode } from "react";
import { isVideoError } from "../core/errors.js";
import { defaultErrorMessages } from "../core/messages.js";
import { type VideoSettings, VideoSettingsContext } from "./video-context.js";

export interface VideoErrorBoundaryFallbackProps {
  error: Error;
  /** Clears the error and renders the children again. */
  reset(): void;
}

export interface VideoErrorBoundaryProps {
  children?: ReactNode | undefined;
  /** What to render instead of the children after an error. Default: an alert with a retry button. */
  fallback?: (ReactNode | ((props: VideoErrorBoundaryFallbackProps) => ReactNode)) | undefined;
  /** Report the error (logging, monitoring). */
  onError?(error: Error, info: ErrorInfo): void;
  /** Called when the boundary resets (by `reset()` or a change of `resetKeys`). */
  onReset?(): void;
  /** The boundary resets when any of these change (e.g. the lesson id). */
  resetKeys?: readonly unknown[] | undefined;
  /** Text of the default fallback for errors that are not `VideoError`s. */
  fallbackMessage?: string | undefined;
  /** Label of the default fallback's button. Default "Try again". */
  resetLabel?: string | undefined;
}

interface State {
  error: Error | null;
}

const changed = (a: readonly unknown[] = [], b: readonly unknown[] = []) =>
  a.length !== b.length || a.some((value, i) => !Object.is(value, b[i]));

/**
 * Catches render errors of the video UI under it, so a broken player or uploader does not take the page
 * down. A `VideoError` shows its message (the provider's `messages` apply); anything else shows
 * `fallbackMessage`. `reset()` renders the children again.
 */
export class VideoErrorBoundary extends Component<VideoErrorBoundaryProps, State> {
  static override contextType = VideoSettingsContext;
  declare context: VideoSettings | null;
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override componentDidUpdate(previous: VideoErrorBoundaryProps): void {
    if (this.state.error && changed(previous.resetKeys, this.props.resetKeys)) this.reset();
  }

  reset = (): void => {
    this.props.onReset?.();
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { fallback } = this.props;
    if (typeof fallback === "function") return fallback({ error, reset: this.reset });
    if (fallback !== undefined) return fallback;
    const messages = this.context?.messages ?? defaultErrorMessages;
    const text = isVideoError(error) ? messages[error.code] : (this.props.fallbackMessage ?? "Something went wrong while showing this video.");
    return (
      <div role="alert" data-video-error-boundary="">
        <p>{text}</p>
        <button type="button" onClick={this.reset}>
          {this.props.resetLabel ?? "Try again"}
        </button>
      </div>
    );
  }
}
