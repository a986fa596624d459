// Real Chromium, real layout: LessonInsights in a phone-width column (nothing sticks out, the table shown too), its
// curve drawn where the data says (lower on the screen where fewer learners watched), its chapter marks at their
// times, and its colours from the theme's custom properties.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { LessonInsights, type LessonInsightsData } from "../../../src/index.js";
import { lessonInsights } from "../../../stories/support/lesson-insights.js";
import "../../../src/components/styles.css";

afterEach(() => cleanup());

/** Renders the insights in a column `width` px wide and waits for the chart. */
async function renderAt(width: number, data: LessonInsightsData, theme: "light" | "dark" = "light", style?: Record<string, string>) {
  const view = render(
    <div data-theme={theme} style={{ width, ...style }}>
      <LessonInsights data={data} defaultShowTable />
    </div>,
  );
  await screen.findByRole("img");
  const column = view.container.firstElementChild as HTMLElement;
  const line = column.querySelector<SVGPathElement>(".lvk-insights__line")!;
  return { column, line };
}

/** The line's points in screen pixels, in drawing order. */
function screenPoints(line: SVGPathElement): Array<{ x: number; y: number }> {
  const matrix = line.getScreenCTM()!;
  return [...line.getAttribute("d")!.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map(([, x, y]) => {
    const point = new DOMPoint(Number(x), Number(y)).matrixTransform(matrix);
    return { x: point.x, y: point.y };
  });
}

describe("LessonInsights in Chromium", () => {
  it.each([390, 320])("fits a %i px column: no element sticks out and nothing scrolls sideways", async (width) => {
    const { column } = await renderAt(width, lessonInsights.typical);
    const box = column.getBoundingClientRect();
    const sticking = [...column.querySelectorAll("*")]
      .filter((element) => {
        const rect = element.getBoundingClientRect();
        // The visually hidden parts are 1 px boxes; everything shown must lie inside the column.
        return rect.width > 1 && (rect.left < box.left - 0.5 || rect.right > box.right + 0.5);
      })
      .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute("class") ?? ""} "${element.textContent?.slice(0, 30)}"`);
    expect(sticking).toEqual([]);
    const section = column.querySelector("section")!;
    expect(section.scrollWidth).toBeLessThanOrEqual(section.clientWidth);
    expect(screen.getByRole("table")).toBeVisible();
    // The chart keeps a usable height on a phone.
    expect(column.querySelector("svg")!.getBoundingClientRect().height).toBeGreaterThanOrEqual(140);
  });

  it.each([
    ["typical", lessonInsights.typical],
    ["steep drop-off", lessonInsights.steepDropOff],
    ["everyone completes", lessonInsights.everyoneCompletes],
  ] as const)("draws the %s curve where the data says: lower where fewer watched, level where as many did", async (_name, data) => {
    const { column, line } = await renderAt(390, data);
    const points = screenPoints(line);
    const svg = column.querySelector("svg")!.getBoundingClientRect();
    // The first bucket's start, every bucket's middle, the last bucket's end.
    expect(points).toHaveLength(data.buckets.length + 2);
    expect(points[0]!.x).toBeCloseTo(svg.left, 0);
    expect(points.at(-1)!.x).toBeCloseTo(svg.right, 0);
    const middles = points.slice(1, -1);
    data.buckets.forEach((bucket, index) => {
      if (index === 0) return;
      const [before, after] = [middles[index - 1]!, middles[index]!];
      const viewersBefore = data.buckets[index - 1]!.viewers;
      expect(after.x).toBeGreaterThan(before.x);
      if (bucket.viewers < viewersBefore) expect(after.y, `bucket ${index} is lower`).toBeGreaterThan(before.y + 0.1);
      else if (bucket.viewers > viewersBefore) expect(after.y, `bucket ${index} is higher`).toBeLessThan(before.y - 0.1);
      else expect(after.y, `bucket ${index} is level`).toBeCloseTo(before.y, 1);
    });
    // The height is in proportion to the viewers: everyone who started at the top, none at the bottom.
    const top = data.started;
    middles.forEach((point, index) => {
      const expected = svg.bottom - (data.buckets[index]!.viewers / top) * (svg.bottom - (svg.top + (svg.height * 12) / 300));
      expect(point.y).toBeCloseTo(expected, 0);
    });
  });

  it("marks each chapter where it starts, its title above its line", async () => {
    const { column } = await renderAt(390, lessonInsights.typical);
    const svg = column.querySelector("svg")!.getBoundingClientRect();
    const marks = [...column.querySelectorAll<SVGLineElement>(".lvk-insights__chapter-line")];
    const labels = [...column.querySelectorAll<HTMLElement>(".lvk-insights__chapter-label")];
    const chapters = lessonInsights.typical.chapters;
    expect(marks).toHaveLength(chapters.length);
    expect(labels.map((label) => label.title)).toEqual(chapters.map((chapter) => chapter.title));
    chapters.forEach((chapter, index) => {
      const x = svg.left + (chapter.startTime / lessonInsights.typical.duration) * svg.width;
      expect(marks[index]!.getBoundingClientRect().left).toBeCloseTo(x, 0);
      expect(labels[index]!.getBoundingClientRect().left).toBeCloseTo(x, 0);
    });
  });

  it("takes its colours from the theme, and from --lvk-insights-line where the page sets it", async () => {
    const light = await renderAt(390, lessonInsights.typical);
    expect(getComputedStyle(light.line).stroke).toBe("rgb(67, 56, 202)");
    cleanup();
    const dark = await renderAt(390, lessonInsights.typical, "dark");
    expect(getComputedStyle(dark.line).stroke).toBe("rgb(165, 180, 252)");
    expect(getComputedStyle(dark.column.querySelector(".lvk-insights__area")!).fill).toBe("rgb(39, 43, 69)");
    cleanup();
    const custom = await renderAt(390, lessonInsights.typical, "light", { "--lvk-insights-line": "#067647" });
    expect(getComputedStyle(custom.line).stroke).toBe("rgb(6, 118, 71)");
  });
});
