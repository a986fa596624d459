/// <reference types="vite/client" />
// Real Chromium, real key presses: ChaptersEditor and PosterFramePicker from the keyboard alone, ChaptersEditor's
// target sizes in real layout, the caption validator's line-numbered message in the form, and the chosen frame
// reaching the player as `?time=`.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { inject } from "vitest";
import { page, userEvent } from "vitest/browser";
import {
  CaptionFileInput,
  ChaptersEditor,
  PosterFramePicker,
  VideoPlayer,
  VideoProvider,
  type Chapter,
  type VideoAsset,
} from "../../../src/index.js";
import { createMemoryTransport } from "../../../src/testing/index.js";
import "../../../src/components/styles.css";

const backend = inject("emulatorBackend");

afterEach(() => cleanup());

describe("ChaptersEditor with the keyboard", () => {
  it("adds, fills and removes chapters with key presses only; focus goes where the next key press is expected", async () => {
    const onChange = vi.fn<(chapters: Chapter[]) => void>();
    render(<ChaptersEditor defaultValue={[{ startTime: 0, title: "Intro" }]} durationSeconds={600} onChange={onChange} />);
    const add = screen.getByRole("button", { name: "Add chapter" });
    add.focus();
    await userEvent.keyboard("{Enter}");
    const time = screen.getByRole("textbox", { name: "Start of chapter 2" });
    await waitFor(() => expect(time).toHaveFocus());
    await userEvent.keyboard("{Control>}a{/Control}2:30");
    await userEvent.keyboard("{Tab}");
    expect(screen.getByRole("textbox", { name: "Title of chapter 2" })).toHaveFocus();
    await userEvent.keyboard("Practice");
    expect(onChange).toHaveBeenLastCalledWith([
      { startTime: 0, title: "Intro" },
      { startTime: 150, title: "Practice" },
    ]);
    await userEvent.keyboard("{Tab}");
    expect(screen.getByRole("button", { name: "Remove chapter 2" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove chapter 1" })).toHaveFocus());
    expect(onChange).toHaveBeenLastCalledWith([{ startTime: 0, title: "Intro" }]);
  });

  it("says what is wrong with a time once the field is left", async () => {
    render(<ChaptersEditor defaultValue={[{ startTime: 0, title: "Intro" }]} durationSeconds={60} />);
    const time = screen.getByRole("textbox", { name: "Start of chapter 1" });
    await userEvent.click(time);
    await userEvent.keyboard("{Control>}a{/Control}2:00{Tab}");
    expect(time).toHaveAttribute("aria-invalid", "true");
    expect(time).toHaveAccessibleDescription("This is after the end of the video (1:00).");
  });
});

describe("ChaptersEditor's targets", () => {
  afterEach(() => page.viewport(414, 896));

  // WCAG 2.2 target size: each control at least 24×24 CSS px and not covered by a neighbour, whether the
  // editor fills a phone (390 px) or sits in a narrow column of a wide page (where axe found titles 12 px wide).
  it.each([
    [390, 390],
    [390, 320],
    [1024, 320],
    [1024, 390],
    [1024, 480],
    [1024, 200],
  ])("every button and field is at least 24×24 px, inside the editor and clear of the others (viewport %i px, column %i px)", async (viewport, column) => {
    await page.viewport(viewport, 800);
    const { container } = render(
      <div style={{ maxWidth: column }}>
        <ChaptersEditor
          durationSeconds={600}
          defaultValue={[
            { startTime: 0, title: "Why hooks" },
            { startTime: 95, title: "useState" },
            { startTime: 330, title: "useEffect and cleanup" },
          ]}
        />
      </div>,
    );
    const editor = container.querySelector("fieldset")!.getBoundingClientRect();
    const controls = [...container.querySelectorAll<HTMLInputElement | HTMLButtonElement>("input, button")].map((element) => ({
      name: element.labels?.[0]?.textContent || element.textContent,
      box: element.getBoundingClientRect(),
    }));
    expect(controls).toHaveLength(3 * 3 + 1);
    const overlap = (a: DOMRect, b: DOMRect) =>
      Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    const problems = controls.flatMap(({ name, box }, index) => [
      ...(box.width < 24 || box.height < 24 ? [`${name} is ${box.width}×${box.height}`] : []),
      ...(box.left < editor.left - 0.5 || box.right > editor.right + 0.5 ? [`${name} sticks out of the editor`] : []),
      ...controls.filter((other, j) => j !== index && overlap(box, other.box) > 0).map((other) => `${name} overlaps ${other.name}`),
    ]);
    expect(problems).toEqual([]);
  });
});

describe("PosterFramePicker and the player", () => {
  let asset: VideoAsset;
  beforeAll(async () => {
    // A blob: URL seeks (the fixture server has no Range support), so the preview can show any frame.
    const mp4 = await (await fetch(`${backend}/fixtures/mp4`)).blob();
    asset = {
      id: "asset-1",
      status: "ready",
      duration: 3,
      aspectRatio: "16:9",
      playback: { src: URL.createObjectURL(mp4), type: "video/mp4", poster: `${backend}/poster.jpg` },
    };
  });

  function PickAndPlay() {
    const [time, setTime] = useState<number | undefined>(undefined);
    return (
      <>
        <PosterFramePicker asset={asset} value={time} onChange={setTime} />
        {time === undefined ? null : <VideoPlayer asset={asset} thumbnailTime={time} muted />}
      </>
    );
  }

  it("scrubs with arrow keys, uses the frame, and the player's poster is that frame", async () => {
    render(<PickAndPlay />);
    const slider = screen.getByRole("slider", { name: "Frame" });
    slider.focus();
    await userEvent.keyboard("{Home}{ArrowRight}{ArrowRight}{ArrowRight}");
    expect(slider).toHaveAttribute("aria-valuetext", "0:00.3 of 0:03");
    const preview = document.querySelector<HTMLVideoElement>(".lvk-poster-picker__frame")!;
    await waitFor(() => expect(preview.currentTime).toBeCloseTo(0.3, 1));
    await userEvent.keyboard("{Tab}{Enter}");
    expect(screen.getByText("Poster frame: 0:00.3")).toBeVisible();
    await waitFor(() => expect(document.querySelector("mux-player")?.getAttribute("poster")).toBe(`${backend}/poster.jpg?time=0.3`), {
      timeout: 20_000,
    });
  });
});

describe("CaptionFileInput in the browser", () => {
  it("refuses a Latin-1 file with the line of the first bad byte", async () => {
    render(
      <VideoProvider transport={createMemoryTransport()}>
        <CaptionFileInput onFileChange={() => undefined} />
      </VideoProvider>,
    );
    const bytes = new Uint8Array([...new TextEncoder().encode("WEBVTT\n\n00:01.000 --> 00:02.000\nOl"), 0xe1, 0x0a]);
    await userEvent.upload(screen.getByLabelText("Caption file"), new File([bytes], "latin1.vtt", { type: "text/vtt" }));
    await waitFor(() =>
      expect(screen.getByLabelText("Caption file")).toHaveAccessibleDescription(expect.stringContaining("Line 4: the text is not UTF-8.")),
    );
  });
});
