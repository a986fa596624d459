"use client";
import { forwardRef, useId, useState, type HTMLAttributes } from "react";
import type { LessonInsightsData } from "../../../core/insights.js";
import { lazyModule } from "../../../core/lazy-module.js";
import { componentClassName, visuallyHidden } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { formatDuration, formatList } from "../../shared/format.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { useLazyModule, type LazyModuleState } from "../../shared/use-lazy-module.js";
import { useAllMessages } from "../../shared/use-messages.js";
import { formatMessage, type ComponentMessages, type MessagesOverride } from "../../messages.js";
import { ErrorDisplay, type DisplayableError } from "../atoms/ErrorDisplay.js";
import type * as InsightsChartModule from "./insights-chart.js";

/** What `LessonInsights` shows: `loading` (no data yet), `empty` (no learner started), `ready`, or `error`. */
export type LessonInsightsState = "loading" | "empty" | "ready" | "error";

/** Props of `LessonInsights`; other attributes go to its root `section`. */
export interface LessonInsightsProps extends Omit<HTMLAttributes<HTMLElement>, "children"> {
  /** The lesson's insights (from the progress routes); `undefined` while they load. */
  data: LessonInsightsData | undefined;
  /** Why the insights could not be loaded; shown instead of them. */
  error?: DisplayableError | null | undefined;
  /** Shown as Retry with a retryable `error`. */
  onRetry?: (() => void) | undefined;
  /** Show the table of viewers to everyone from the start (screen readers always have it). Default false. */
  defaultShowTable?: boolean | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/**
 * What a creator learns from a lesson's learners: how many started and completed it, the completion rate, and how
 * many watched each stretch of the video as a drop-off curve with the chapters marked. The chart (an SVG coloured by
 * `--lvk-insights-line`, `--lvk-insights-area`, `--lvk-insights-grid` and `--lvk-insights-chapter`, which default to
 * the theme's colours) loads on demand; screen readers get a summary and a table of every stretch, which "Show as a
 * table" shows to everyone. Needs no `VideoProvider`. `data-state` is `loading`, `empty`, `ready` or `error`.
 *
 * @example
 * const { data, error } = useSWR(`/api/lessons/${id}/insights`, fetcher);
 * <LessonInsights data={data} error={error} />
 */
export const LessonInsights = /* @__PURE__ */ forwardRef<HTMLElement, LessonInsightsProps>(function LessonInsights(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LessonInsightsView {...props} ref={ref} />
    </KitSettingsProvider>
  );
});

const LessonInsightsView = /* @__PURE__ */ forwardRef<HTMLElement, LessonInsightsProps>(function LessonInsightsView(
  { data, error, onRetry, defaultShowTable = false, messages: messagesProp, unstyled: unstyledProp, className, ...sectionProps },
  ref,
) {
  const messages = useAllMessages(messagesProp);
  const unstyled = useUnstyled(unstyledProp);
  const { insights } = messages;
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const headingId = useId();
  const state: LessonInsightsState = error ? "error" : data === undefined ? "loading" : data.started > 0 ? "ready" : "empty";
  const ready = state === "ready" ? data : undefined;
  // Starts loading the chart's code at once, so it is usually there before the data.
  const chart = useLazyModule(insightsChart);
  return (
    <section
      {...sectionProps}
      ref={ref}
      aria-labelledby={headingId}
      aria-busy={state === "loading" || undefined}
      data-state={state}
      className={componentClassName(unstyled, "lvk-insights", className)}
    >
      <h3 id={headingId} className={kit("lvk-insights__heading")}>
        {insights.heading}
      </h3>
      {state === "error" ? (
        <ErrorDisplay error={error} onRetry={onRetry} title={insights.loadFailed} />
      ) : state === "loading" ? (
        <>
          <p className={kit("lvk-hint")}>{insights.loading}</p>
          <div aria-hidden="true" className={kit("lvk-insights__skeleton")} />
        </>
      ) : state === "empty" ? (
        <p className={kit("lvk-insights__empty")}>{insights.empty}</p>
      ) : ready ? (
        <ReadyInsights data={ready} messages={messages} unstyled={unstyled} chart={chart} defaultShowTable={defaultShowTable} />
      ) : null}
    </section>
  );
});

interface ReadyInsightsProps {
  data: LessonInsightsData;
  messages: ComponentMessages;
  unstyled: boolean | undefined;
  chart: LazyModuleState<typeof InsightsChartModule>;
  defaultShowTable: boolean;
}

function ReadyInsights({ data, messages, unstyled, chart, defaultShowTable }: ReadyInsightsProps) {
  const { insights, locale } = messages;
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const [showTable, setShowTable] = useState(defaultShowTable);
  const tableId = useId();
  const figureCaptionId = useId();
  const count = new Intl.NumberFormat(locale);
  const stats: Array<[label: string, value: string, name: string]> = [
    [insights.started, count.format(data.started), "started"],
    [insights.completed, count.format(data.completed), "completed"],
    [insights.completionRate, formatPercent(data.completionRate, locale), "rate"],
  ];
  return (
    <>
      <dl className={kit("lvk-insights__stats")}>
        {stats.map(([label, value, name]) => (
          <div key={name} className={kit("lvk-insights__stat")} data-stat={name}>
            <dt className={kit("lvk-insights__stat-label")}>{label}</dt>
            <dd className={kit("lvk-insights__stat-value")}>{value}</dd>
          </div>
        ))}
      </dl>
      <figure className={kit("lvk-insights__figure")} aria-labelledby={figureCaptionId}>
        <figcaption id={figureCaptionId} className={kit("lvk-insights__figcaption")}>
          {insights.chartHeading}
        </figcaption>
        {chart.module || chart.failed ? (
          <LazyPart state={chart}>
            {(parts) => <parts.InsightsChart data={data} messages={messages} unstyled={unstyled} />}
          </LazyPart>
        ) : (
          <div aria-hidden="true" className={kit("lvk-insights__skeleton")} />
        )}
      </figure>
      <div className={kit("lvk-actions")}>
        <button
          type="button"
          aria-pressed={showTable}
          aria-controls={tableId}
          className={kit("lvk-button")}
          onClick={() => setShowTable((shown) => !shown)}
        >
          {insights.showTable}
        </button>
      </div>
      <div id={tableId} className={showTable ? kit("lvk-insights__table-wrap") : undefined} style={showTable ? undefined : visuallyHidden}>
        <ViewersTable data={data} messages={messages} unstyled={unstyled} />
      </div>
    </>
  );
}

/** Every stretch of the video with its viewers and the chapters that start in it: the chart as a table. */
function ViewersTable({ data, messages, unstyled }: { data: LessonInsightsData; messages: ComponentMessages; unstyled: boolean | undefined }) {
  const { insights, locale } = messages;
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const count = new Intl.NumberFormat(locale);
  const chapters = [...(data.chapters ?? [])].sort((a, b) => a.startTime - b.startTime);
  const time = (seconds: number) => formatDuration(seconds, locale);
  return (
    <table className={kit("lvk-insights__table")}>
      <caption className={kit("lvk-insights__caption")}>{insights.tableCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{insights.timeColumn}</th>
          <th scope="col">{insights.viewersColumn}</th>
          {chapters.length > 0 ? <th scope="col">{insights.chapterColumn}</th> : null}
        </tr>
      </thead>
      <tbody>
        {data.buckets.map((bucket, index) => {
          const last = index === data.buckets.length - 1;
          const starting = chapters.filter((chapter) => chapter.startTime >= bucket.start && (chapter.startTime < bucket.end || (last && chapter.startTime <= bucket.end)));
          return (
            <tr key={`${bucket.start}-${index}`}>
              <th scope="row">{formatMessage(insights.timeRange, { start: time(bucket.start), end: time(bucket.end) }, locale)}</th>
              <td>
                {formatMessage(insights.viewersShare, {
                  viewers: count.format(bucket.viewers),
                  percent: formatPercent(data.started > 0 ? bucket.viewers / data.started : 0, locale),
                }, locale)}
              </td>
              {chapters.length > 0 ? (
                <td>{formatList(starting.map((chapter) => formatMessage(insights.chapterStarts, { title: chapter.title, time: time(chapter.startTime) }, locale)), locale)}</td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A share as a whole percent; one decimal where rounding would say 0 % or 100 % of something that is neither. */
function formatPercent(share: number, locale: string | undefined): string {
  const value = Number.isFinite(share) ? Math.min(Math.max(share, 0), 1) : 0;
  const nearEdge = (value > 0 && value < 0.005) || (value > 0.995 && value < 1);
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: nearEdge ? 1 : 0 }).format(value);
}

/** The chart: loaded when the component mounts. */
const insightsChart = /* @__PURE__ */ lazyModule(() => import("./insights-chart.js"));
