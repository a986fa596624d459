import "@testing-library/jest-dom/vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import {
  CaptionFileInput,
  CaptionsPanel,
  ChaptersEditor,
  LessonForm,
  posterAtTime,
  type LessonSubmission,
} from "../../../src/index.js";
import { createFakeVideoFile, createMemoryTransport, type MemoryTransportOptions } from "../../../src/testing/index.js";
import { axeViolations } from "./axe.js";
import { fast as quick, readyAssetWith, withProvider } from "./provider.js";

// jsdom lacks DOM APIs Mux's web component needs; the real player runs in the Chromium tests and stories.
vi.mock("@mux/mux-player-react", () => import("./jsdom-player.js"));

const fast: MemoryTransportOptions = { ...quick, captionProcessingMs: 50 };

const readyAsset = readyAssetWith({ duration: 300 });

const videoFileInput = (container: HTMLElement) => container.querySelector<HTMLInputElement>("input[type=file][accept*='video'], input[type=file]:not([accept*='.vtt'])")!;

describe("LessonForm's submission carries its upload", () => {
  it("gives onSubmit the in-flight upload's id and status when saved during the upload", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const transport = createMemoryTransport({ ...fast, bytesPerSecond: 256 * 1024 });
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(transport),
    });
    await user.upload(videoFileInput(container), createFakeVideoFile({ size: 4 * 1024 * 1024 }));
    await screen.findByRole("button", { name: "Pause" });
    await user.click(screen.getByRole("button", { name: "Save now, video continues" }));
    await screen.findByText("Lesson saved.");
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ uploadId: "upload-1", upload: { uploadId: "upload-1", status: "uploading" } });
  });

  it("offers \"Save now\" only once the backend made the upload, so the save has its id", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    let createUpload!: () => void;
    const transport = createMemoryTransport({ ...fast, bytesPerSecond: 256 * 1024 });
    const created = transport.createUpload.bind(transport);
    // The upload is made only when the test says so.
    transport.createUpload = async (request, options) => {
      await new Promise<void>((resolve) => (createUpload = resolve));
      return created(request, options);
    };
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(transport),
    });
    await user.upload(videoFileInput(container), createFakeVideoFile({ size: 4 * 1024 * 1024 }));
    const saveNow = await screen.findByRole("button", { name: "Save now, video continues" });
    await waitFor(() => expect(createUpload).toBeTypeOf("function"));
    expect(saveNow).toBeDisabled();
    createUpload();
    await screen.findByRole("button", { name: "Pause" });
    await waitFor(() => expect(saveNow).toBeEnabled());
    await user.click(saveNow);
    await screen.findByText("Lesson saved.");
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ uploadId: "upload-1" });
  });

  it("gives onSubmit the finished upload's id and status when saved after the upload", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(createMemoryTransport(fast)),
    });
    await user.upload(videoFileInput(container), createFakeVideoFile({ size: 256 * 1024 }));
    await waitFor(() => expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "ready"));
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    await screen.findByText("Lesson saved.");
    const lesson = onSubmit.mock.calls[0]![0];
    expect(lesson.upload).toEqual({ uploadId: "upload-1", status: "complete" });
    // Where a save handler looks for it, as when saved during the upload.
    expect(lesson.uploadId).toBe("upload-1");
    expect(lesson).toMatchObject({ muxAssetId: expect.stringMatching(/^asset-/), videoStatus: "ready" });
  });

  it("has no upload in the submission when no upload was started", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    render(<LessonForm onSubmit={onSubmit} defaultValue={{ id: "l-1", title: "Closures", description: "", video: readyAsset }} />, {
      wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })),
    });
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]![0]).not.toHaveProperty("upload");
    // The video was given without its upload id: nothing to store, the lesson keeps its video.
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ uploadId: null, muxAssetId: "asset-9" });
  });

  it("gives the upload the lesson's video came from when no upload was started", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const video = { ...readyAsset, uploadId: "upload-earlier" };
    render(<LessonForm onSubmit={onSubmit} defaultValue={{ id: "l-1", title: "Closures", description: "", video }} />, {
      wrapper: withProvider(createMemoryTransport({ ...fast, assets: [video] })),
    });
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ uploadId: "upload-earlier", muxAssetId: "asset-9" });
  });

  it("does not give a failed upload as the lesson's video", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const transport = createMemoryTransport({ ...fast, failAt: { byte: 128 * 1024, code: "network" } });
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(transport),
    });
    await user.upload(videoFileInput(container), createFakeVideoFile({ size: 256 * 1024 }));
    await screen.findByRole("button", { name: "Retry" }, { timeout: 5000 });
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    const lesson = onSubmit.mock.calls[0]![0];
    expect(lesson.upload).toMatchObject({ uploadId: "upload-1", status: "error" });
    expect(lesson).toMatchObject({ uploadId: null, videoStatus: "pending" });
  });
});

describe("LessonForm chapters, poster frame and captions on by default", () => {
  it("passes chapters (ordered), the poster frame and captions-on to onSubmit", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const { container } = render(
      <LessonForm
        onSubmit={onSubmit}
        defaultValue={{ id: "l-1", title: "Closures", description: "", video: readyAsset, chapters: [{ startTime: 90, title: "Practice" }] }}
      />,
      { wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })) },
    );
    // The chapters and poster-frame panels load with the form.
    await user.click(await screen.findByRole("button", { name: "Add chapter" }));
    const time = screen.getByRole("textbox", { name: "Start of chapter 2" });
    await waitFor(() => expect(time).toHaveFocus());
    await user.clear(time);
    await user.type(time, "0:00");
    await user.type(screen.getByRole("textbox", { name: "Title of chapter 2" }), " Intro ");
    await user.click(screen.getByRole("checkbox", { name: "Show captions when the video starts" }));
    // user-event does not move range inputs; the key presses are covered in Chromium.
    fireEvent.change(screen.getByRole("slider", { name: "Frame" }), { target: { value: "300" } });
    await user.click(screen.getByRole("button", { name: "Use this frame" }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({
      chapters: [
        { startTime: 0, title: "Intro" },
        { startTime: 90, title: "Practice" },
      ],
      thumbnailTime: 300,
      captionsOnByDefault: true,
    });
    expect(await axeViolations(container)).toEqual([]);
  });

  it("trims the ready video: the trim goes to onSubmit and the form's player; Reset removes it", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ id: "l-1", title: "Closures", description: "", video: readyAsset }} />, {
      wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })),
    });
    const trim = await screen.findByRole("group", { name: "Trim" });
    // user-event does not move range inputs; the key presses are covered in Chromium.
    fireEvent.change(within(trim).getByRole("slider", { name: "Start" }), { target: { value: "20" } });
    await user.clear(within(trim).getByRole("textbox", { name: "End time" }));
    await user.type(within(trim).getByRole("textbox", { name: "End time" }), "4:00");
    await waitFor(() => expect(screen.getByTestId("player")).toHaveAttribute("src", "/lesson.mp4#t=20,240"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ trim: { startTime: 20, endTime: 240 } });
    expect(await axeViolations(container)).toEqual([]);

    await user.click(within(trim).getByRole("button", { name: "Reset to the full video" }));
    await waitFor(() => expect(screen.getByTestId("player")).toHaveAttribute("src", "/lesson.mp4"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]![0]).not.toHaveProperty("trim");
  });

  it("a trim saved as a new video replaces the form's finished upload: onSubmit gets the clip, not the upload", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const transport = createMemoryTransport({ ...fast, duration: 60 });
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(transport),
    });
    await user.upload(videoFileInput(container), createFakeVideoFile({ size: 256 * 1024 }));
    const trim = await screen.findByRole("group", { name: "Trim" });
    await user.clear(within(trim).getByRole("textbox", { name: "Start time" }));
    await user.type(within(trim).getByRole("textbox", { name: "Start time" }), "0:10");
    await user.click(within(trim).getByRole("button", { name: "Save as a new video" }));
    // The clip processes, then the form shows it ready, whole (the trim went into the clip).
    await waitFor(() => expect(screen.getByRole("group", { name: "Trim" })).toHaveAttribute("data-state", "full"));
    await waitFor(() => expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "ready"));
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const lesson = onSubmit.mock.calls[0]![0];
    // The clip: 0:10 to the end of the 60 s upload.
    expect(await transport.getAsset(lesson.muxAssetId!, { signal: new AbortController().signal })).toMatchObject({ status: "ready", duration: 50 });
    // The upload made the other asset: it is no longer the lesson's video.
    expect(lesson.upload).toEqual({ uploadId: "upload-1", status: "complete" });
    expect(lesson.uploadId).toBeNull();
    expect(lesson).not.toHaveProperty("trim");
  });

  it("does not save chapters with problems and moves focus to the first one", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    render(
      <LessonForm
        onSubmit={onSubmit}
        defaultValue={{ id: "l-1", title: "Closures", description: "", video: readyAsset, chapters: [{ startTime: 600, title: "" }] }}
      />,
      { wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })) },
    );
    const time = await screen.findByRole("textbox", { name: "Start of chapter 1" });
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(time).toHaveFocus());
    expect(time).toHaveAccessibleDescription(expect.stringContaining("This is after the end of the video (5:00)."));
    expect(screen.getByRole("textbox", { name: "Title of chapter 1" })).toHaveAccessibleDescription(expect.stringContaining("Enter a title."));
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe("ChaptersEditor", () => {
  it("keeps a half-typed time and reports it as not a time once the field is left", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<ChaptersEditor defaultValue={[{ startTime: 0, title: "Intro" }]} onChange={onChange} />);
    const time = screen.getByRole("textbox", { name: "Start of chapter 1" });
    await user.clear(time);
    await user.type(time, "1:7");
    expect(time).toHaveValue("1:7");
    expect(onChange).toHaveBeenLastCalledWith([{ startTime: 67, title: "Intro" }]);
    await user.type(time, "x");
    expect(onChange.mock.lastCall![0][0].startTime).toBeNaN();
    expect(time).not.toHaveAccessibleDescription(expect.stringContaining("Write the start"));
    await user.tab();
    expect(time).toHaveAccessibleDescription(expect.stringContaining("Write the start as a time like 1:15."));
    expect(time).toHaveAttribute("aria-invalid", "true");
  });
});

describe("CaptionsPanel", () => {
  it("adds a checked file, shows it preparing then ready, and removes it after a confirmation", async () => {
    const user = userEvent.setup();
    const transport = createMemoryTransport({ ...fast, assets: [readyAsset] });
    const onTracksChange = vi.fn();
    const { container } = render(<CaptionsPanel asset={readyAsset} onTracksChange={onTracksChange} pollIntervalMs={20} />, { wrapper: withProvider(transport) });
    await screen.findByText("This video has no captions yet.");
    await user.upload(container.querySelector<HTMLInputElement>("input[type=file]")!, new File(["WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"], "hi.vtt"));
    await screen.findByText("hi.vtt: 1 cue, WebVTT.");
    await user.click(screen.getByRole("button", { name: "Add captions" }));
    const row = await waitFor(() => {
      const found = container.querySelector("[data-track-id]");
      expect(found).not.toBeNull();
      return found!;
    });
    await waitFor(() => expect(row).toHaveAttribute("data-status", "ready"));
    expect(transport.captionText(row.getAttribute("data-track-id")!)).toContain("Hi");
    expect(onTracksChange).toHaveBeenLastCalledWith([expect.objectContaining({ languageCode: "en", name: "English", status: "ready" })]);

    await user.click(screen.getByRole("button", { name: "Remove English" }));
    await user.click(within(container).getByRole("button", { name: "Yes, remove" }));
    await screen.findByText("This video has no captions yet.");
    expect(transport.calls.removeCaption).toBe(1);
    expect(await axeViolations(container)).toEqual([]);
  });

  it("renders nothing when the transport has no caption methods", () => {
    const { container } = render(<CaptionsPanel asset={readyAsset} />, { wrapper: withProvider(createMemoryTransport({ ...fast, captions: false })) });
    expect(container).toBeEmptyDOMElement();
  });
});

describe("CaptionFileInput", () => {
  it("shows the validator's message naming the line and reports no file", async () => {
    const user = userEvent.setup();
    const onFileChange = vi.fn();
    render(<CaptionFileInput onFileChange={onFileChange} />);
    await user.upload(screen.getByLabelText("Caption file"), new File(["WEBVTT\n\n00:01.000 -> 00:02.000\nHi\n"], "bad.vtt"));
    await waitFor(() => expect(screen.getByLabelText("Caption file")).toHaveAccessibleDescription(expect.stringContaining("Line 3: “00:01.000 -> 00:02.000” is not a cue timing.")));
    expect(onFileChange).toHaveBeenLastCalledWith(null);
  });
});

describe("posterAtTime", () => {
  it("adds or replaces time= and leaves data URLs and signed URLs alone", () => {
    expect(posterAtTime("https://image.mux.com/abc/thumbnail.webp", 12.5)).toBe("https://image.mux.com/abc/thumbnail.webp?time=12.5");
    expect(posterAtTime("/image/abc/thumbnail.jpg?width=640&time=3#x", 7)).toBe("/image/abc/thumbnail.jpg?width=640&time=7#x");
    expect(posterAtTime("https://image.mux.com/abc/thumbnail.webp?token=jwt", 7)).toBe("https://image.mux.com/abc/thumbnail.webp?token=jwt");
    expect(posterAtTime("data:image/svg+xml,<svg/>", 7)).toBe("data:image/svg+xml,<svg/>");
    expect(posterAtTime("/poster.jpg", undefined)).toBe("/poster.jpg");
  });
});
