import "@testing-library/jest-dom/vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import { LessonInsights, MessagesProvider, type LessonInsightsData } from "../../../src/index.js";
import { lessonInsights } from "../../../stories/support/lesson-insights.js";
import { axeViolations } from "./axe.js";

const root = (container: HTMLElement) => container.querySelector("section") as HTMLElement;
const table = () => screen.getByRole("table", { name: "Viewers for each part of the video" });

/** The table's body as text, one array per row: time range, viewers, chapters. */
const rows = () =>
  within(table())
    .getAllByRole("row")
    .slice(1)
    .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));

const small: LessonInsightsData = {
  lessonId: "lesson-1",
  duration: 90,
  started: 8,
  completed: 3,
  completionRate: 0.375,
  buckets: [
    { start: 0, end: 30, viewers: 8 },
    { start: 30, end: 60, viewers: 5 },
    { start: 60, end: 90, viewers: 4 },
  ],
  chapters: [
    { startTime: 40, title: "Props" },
    { startTime: 0, title: "Intro" },
    { startTime: 90, title: "Outro" },
  ],
};

describe("LessonInsights", () => {
  it("shows started, completed and the completion rate as a percent", () => {
    const { container } = render(<LessonInsights data={lessonInsights.typical} />);
    const pairs = [...container.querySelectorAll("dl > div")].map((item) => [item.querySelector("dt")!.textContent, item.querySelector("dd")!.textContent]);
    expect(pairs).toEqual([
      ["Started", "120"],
      ["Completed", "54"],
      ["Completion rate", "45%"],
    ]);
  });

  it("formats the numbers in the messages' locale", () => {
    const data: LessonInsightsData = { ...lessonInsights.typical, started: 123_456, completed: 45_678, completionRate: 45_678 / 123_456 };
    render(
      <MessagesProvider messages={{ locale: "de-DE" }}>
        <LessonInsights data={data} />
      </MessagesProvider>,
    );
    expect(screen.getByText("123.456")).toBeInTheDocument();
    expect(screen.getByText("45.678")).toBeInTheDocument();
    expect(screen.getByText("37 %")).toBeInTheDocument();
  });

  it("does not round a completion rate just under 100 % up to 100 %", () => {
    render(<LessonInsights data={{ ...lessonInsights.everyoneCompletes, started: 1000, completed: 998, completionRate: 0.998 }} />);
    expect(screen.getByText("99.8%")).toBeInTheDocument();
  });

  it("has a table of every stretch with its viewers, their share of the learners who started, and the chapters that start in it", () => {
    render(<LessonInsights data={small} />);
    expect(within(table()).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual(["Part of the video", "Viewers", "Chapters starting"]);
    expect(rows()).toEqual([
      ["0 sec to 30 sec", "8 (100%)", "Intro at 0 sec"],
      ["30 sec to 1 min", "5 (63%)", "Props at 40 sec"],
      ["1 min to 1 min 30 sec", "4 (50%)", "Outro at 1 min 30 sec"],
    ]);
  });

  it("leaves the chapter column out for a lesson without chapters", () => {
    render(<LessonInsights data={{ ...small, chapters: undefined }} />);
    expect(within(table()).getAllByRole("columnheader")).toHaveLength(2);
    expect(rows()[1]).toEqual(["30 sec to 1 min", "5 (63%)"]);
  });

  it("keeps the table for screen readers only until Show as a table shows it, and hides it again", async () => {
    const user = userEvent.setup();
    render(<LessonInsights data={small} />);
    const toggle = screen.getByRole("button", { name: "Show as a table" });
    const wrapper = table().parentElement!;
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    expect(toggle).toHaveAttribute("aria-controls", wrapper.id);
    expect(wrapper.style.position).toBe("absolute");
    expect(wrapper.style.clip).toBe("rect(0px, 0px, 0px, 0px)");

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(wrapper.style.position).toBe("");

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    expect(wrapper.style.position).toBe("absolute");
  });

  it("summarises the curve in the chart's accessible name once the chart has loaded", async () => {
    const { container } = render(<LessonInsights data={small} />);
    const chart = await screen.findByRole("img");
    expect(chart).toHaveAccessibleName("Viewers over the video's 1 min 30 sec: 8 at the start, 4 at the end. The largest drop, 3 viewers, is between 0 sec and 1 min.");
    expect([...container.querySelectorAll("svg title")].map((title) => title.textContent)).toEqual([
      "Chapter Intro starts at 0 sec",
      "Chapter Props starts at 40 sec",
    ]);
    expect(await axeViolations(container)).toEqual([]);
  });

  it("says when it is loading, when nobody started, and what went wrong, with Retry for a retryable error", async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    const { container, rerender } = render(<LessonInsights data={undefined} />);
    expect(root(container)).toHaveAttribute("data-state", "loading");
    expect(root(container)).toHaveAttribute("aria-busy", "true");
    expect(screen.getByText("Loading the lesson's insights…")).toBeInTheDocument();

    rerender(<LessonInsights data={lessonInsights.empty} />);
    expect(root(container)).toHaveAttribute("data-state", "empty");
    expect(screen.getByText("No learner has started this lesson yet.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();

    rerender(<LessonInsights data={small} error={{ code: "network", message: "Failed to fetch", retryable: true }} onRetry={onRetry} />);
    expect(root(container)).toHaveAttribute("data-state", "error");
    expect(screen.getByText("The insights could not be loaded.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledOnce();
    expect(await axeViolations(container)).toEqual([]);
  });

  it("is a section named by its heading, forwards its ref and attributes, and drops its class names when unstyled", () => {
    const ref = createRef<HTMLElement>();
    const { container } = render(<LessonInsights ref={ref} data={small} unstyled className="mine" data-testid="insights" messages={{ insights: { heading: "Who watched" } }} />);
    expect(screen.getByRole("region", { name: "Who watched" })).toBe(ref.current);
    expect(ref.current).toHaveAttribute("data-testid", "insights");
    expect(ref.current).toHaveClass("mine");
    expect(container.querySelectorAll("[class*=lvk-]")).toHaveLength(0);
  });
});
