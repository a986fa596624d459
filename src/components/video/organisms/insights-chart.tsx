"use client";
import type { LessonInsightsData } from "../../../core/insights.js";
import { componentClassName } from "../../shared/class-names.js";
import { formatDuration } from "../../shared/format.js";
import { formatMessage, type ComponentMessages } from "../../messages.js";

// LessonInsights' drop-off chart, loaded on demand. The SVG stretches to its box (preserveAspectRatio="none", strokes
// that do not scale); its text (chapter titles, viewers, times) is HTML placed in percent of the box, so it stays
// readable at any width.

/** Props of `InsightsChart`. */
export interface InsightsChartProps {
  data: LessonInsightsData;
  messages: Pick<ComponentMessages, "locale" | "insights">;
  unstyled: boolean | undefined;
}

/** The viewBox: the timeline is 0..width, the viewers' scale height..top. */
export const chartBox = { width: 1000, height: 300, top: 12 } as const;

/** One point of the curve, in viewBox units. */
export interface ChartPoint {
  x: number;
  y: number;
}

/**
 * The curve through the buckets: the first bucket's viewers at its start, every bucket's viewers at its middle, the
 * last one's at its end, so the line spans the whole timeline the buckets cover.
 */
export function curvePoints(data: LessonInsightsData): ChartPoint[] {
  const { buckets } = data;
  const first = buckets[0];
  const last = buckets.at(-1);
  if (!first || !last) return [];
  const duration = timelineLength(data);
  const most = scaleTop(data);
  const x = (seconds: number) => (Math.min(Math.max(seconds, 0), duration) / duration) * chartBox.width;
  const y = (viewers: number) => chartBox.top + (1 - Math.max(viewers, 0) / most) * (chartBox.height - chartBox.top);
  return [
    { x: x(first.start), y: y(first.viewers) },
    ...buckets.map((bucket) => ({ x: x((bucket.start + bucket.end) / 2), y: y(bucket.viewers) })),
    { x: x(last.end), y: y(last.viewers) },
  ];
}

/** The video's length, or where the last bucket ends when the duration is missing. */
export function timelineLength(data: LessonInsightsData): number {
  const length = data.duration > 0 ? data.duration : (data.buckets.at(-1)?.end ?? 0);
  return length > 0 ? length : 1;
}

/** The top of the viewers' scale: everyone who started (no stretch can have more), or more if the data says so. */
export function scaleTop(data: LessonInsightsData): number {
  return Math.max(1, data.started, ...data.buckets.map((bucket) => bucket.viewers));
}

/** Time labels along the axis: a round step that leaves at most four gaps. */
export function axisTicks(duration: number): number[] {
  const step = tickSteps.find((candidate) => duration / candidate <= 4) ?? Math.ceil(duration / 4 / 3600) * 3600;
  const ticks: number[] = [];
  for (let time = 0; time <= duration + 1e-9; time += step) ticks.push(time);
  return ticks;
}

const tickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800];

/** The chart's accessible name: the stretch of the video, viewers at its start and end, and the largest drop. */
export function chartSummary(data: LessonInsightsData, messages: Pick<ComponentMessages, "locale" | "insights">): string {
  const { locale, insights } = messages;
  const count = new Intl.NumberFormat(locale);
  const { buckets } = data;
  const first = buckets[0]?.viewers ?? 0;
  const last = buckets.at(-1)?.viewers ?? 0;
  const summary = formatMessage(insights.chartSummary, {
    duration: formatDuration(timelineLength(data), locale),
    first: count.format(first),
    last: count.format(last),
  }, locale);
  let drop: { size: number; start: number; end: number } | undefined;
  buckets.forEach((bucket, index) => {
    const before = buckets[index - 1];
    const size = before ? before.viewers - bucket.viewers : 0;
    if (before && size > (drop?.size ?? 0)) drop = { size, start: before.start, end: bucket.end };
  });
  if (!drop) return summary;
  return `${summary} ${formatMessage(insights.chartLargestDrop, {
    count: drop.size,
    start: formatDuration(drop.start, locale),
    end: formatDuration(drop.end, locale),
  }, locale)}`;
}

/** Viewers over the video's timeline as an area under a line, the chapters as marks, time along the bottom. */
export function InsightsChart({ data, messages, unstyled }: InsightsChartProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const { locale, insights } = messages;
  const duration = timelineLength(data);
  const points = curvePoints(data);
  const line = points.map((point, index) => `${index === 0 ? "M" : "L"}${round(point.x)},${round(point.y)}`).join(" ");
  const [firstPoint, lastPoint] = [points[0], points.at(-1)];
  const area = firstPoint && lastPoint ? `${line} L${round(lastPoint.x)},${chartBox.height} L${round(firstPoint.x)},${chartBox.height} Z` : "";
  const chapters = [...(data.chapters ?? [])]
    .filter((chapter) => chapter.startTime >= 0 && chapter.startTime < duration)
    .sort((a, b) => a.startTime - b.startTime);
  const percentOf = (seconds: number) => `${(Math.min(Math.max(seconds, 0), duration) / duration) * 100}%`;
  const ticks = axisTicks(duration);
  const { width, height, top } = chartBox;
  const most = scaleTop(data);
  const count = new Intl.NumberFormat(locale);
  // Gridlines at the top of the scale, a round middle and zero, each labelled on the left.
  const levels = [...new Set([most, Math.round(most / 2), 0])].map((viewers) => ({ viewers, y: top + (1 - viewers / most) * (height - top) }));
  return (
    <div role="img" aria-label={chartSummary(data, messages)} className={kit("lvk-insights__plot")}>
      {chapters.length > 0 ? (
        <div className={kit("lvk-insights__chapter-labels")}>
          {chapters.map((chapter, index) => (
            <span
              key={`${chapter.startTime}-${index}`}
              className={kit("lvk-insights__chapter-label")}
              title={chapter.title}
              style={{ left: percentOf(chapter.startTime), maxWidth: `calc(${percentOf((chapters[index + 1]?.startTime ?? duration) - chapter.startTime)} - 2px)` }}
            >
              {chapter.title}
            </span>
          ))}
        </div>
      ) : null}
      <div className={kit("lvk-insights__axis")}>
        <span className={kit("lvk-insights__axis-size")}>{count.format(most)}</span>
        {levels.map(({ viewers, y }) => (
          <span key={viewers} className={kit("lvk-insights__level")} style={{ top: `${(y / height) * 100}%` }}>
            {count.format(viewers)}
          </span>
        ))}
      </div>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        focusable="false"
        className={kit("lvk-insights__svg")}
        width="100%"
        height="100%"
      >
        <g className={kit("lvk-insights__grid")} stroke="currentColor" strokeOpacity={0.25}>
          {levels.map(({ viewers, y }) => (
            <line key={viewers} x1={0} x2={width} y1={round(y)} y2={round(y)} vectorEffect="non-scaling-stroke" />
          ))}
        </g>
        {area ? <path className={kit("lvk-insights__area")} d={area} fill="currentColor" fillOpacity={0.15} stroke="none" /> : null}
        {chapters.map((chapter, index) => {
          const x = round((chapter.startTime / duration) * width);
          return (
            <g key={`${chapter.startTime}-${index}`} className={kit("lvk-insights__chapter")} data-time={chapter.startTime}>
              <title>{formatMessage(insights.chapterMark, { title: chapter.title, time: formatDuration(chapter.startTime, locale) }, locale)}</title>
              <line
                x1={x}
                x2={x}
                y1={0}
                y2={height}
                stroke="currentColor"
                strokeDasharray="4 4"
                vectorEffect="non-scaling-stroke"
                className={kit("lvk-insights__chapter-line")}
              />
            </g>
          );
        })}
        {line ? (
          <path
            className={kit("lvk-insights__line")}
            d={line}
            fill="none"
            stroke="currentColor"
            strokeWidth={2}
            strokeLinejoin="round"
            vectorEffect="non-scaling-stroke"
          />
        ) : null}
      </svg>
      <div className={kit("lvk-insights__ticks")}>
        {ticks.map((time) => {
          const share = time / duration;
          return (
            <span
              key={time}
              className={kit("lvk-insights__tick")}
              data-align={share === 0 ? "start" : share > 0.85 ? "end" : "middle"}
              style={{ left: percentOf(time) }}
            >
              {formatDuration(time, locale)}
            </span>
          );
        })}
      </div>
    </div>
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
