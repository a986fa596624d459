import "@testing-library/jest-dom/vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef, useState } from "react";
import {
  LessonForm,
  VideoManager,
  VideoUploader,
  useVideo,
  type LessonFormValue,
  type LessonSubmission,
} from "../../../src/index.js";
import { UploadStatus } from "../../../src/components/video/molecules/UploadStatus.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { axeViolations } from "./axe.js";
import { fast, readyAssetWith, withProvider } from "./provider.js";

// jsdom lacks DOM APIs Mux's web component needs; the real player runs in the Chromium tests and stories.
vi.mock("@mux/mux-player-react", () => import("./jsdom-player.js"));


const fileInput = (container: HTMLElement) => container.querySelector<HTMLInputElement>("input[type=file]")!;
const liveRegion = (container: HTMLElement) => container.querySelector("[aria-live=polite]")!;

const readyAsset = readyAssetWith();

describe("UploadStatus", () => {
  it("shows state, percent, bytes, speed and time left, and only the actions that apply", async () => {
    const user = userEvent.setup();
    const onPause = vi.fn();
    const state = { progress: 25, status: "uploading" as const, bytesSent: 2_000_000, totalBytes: 8_000_000, speed: 1_000_000, eta: 6, attempt: 1, file: { name: "intro.mp4", size: 8_000_000, type: "video/mp4" }, uploadId: "upload-1" };
    const { container, rerender } = render(<UploadStatus state={state} onPause={onPause} onResume={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByText("Uploading")).toBeInTheDocument();
    expect(screen.getByText("2 MB of 8 MB")).toBeInTheDocument();
    expect(screen.getByText("1 MB/s")).toBeInTheDocument();
    expect(screen.getByText("About 6 sec left")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuetext", "25%, 2 MB of 8 MB");
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Pause" }));
    expect(onPause).toHaveBeenCalledOnce();
    expect(await axeViolations(container)).toEqual([]);

    rerender(<UploadStatus state={{ ...state, status: "paused", pausedReason: "user" }} onPause={onPause} onResume={vi.fn()} onCancel={vi.fn()} />);
    expect(container.firstElementChild).toHaveAttribute("data-status", "paused");
    expect(screen.getByRole("button", { name: "Resume" })).toBeInTheDocument();
    await waitFor(() => expect(liveRegion(container)).toHaveTextContent("Upload paused."));
  });

  it("shows bytes sent with no percent and an indeterminate bar while a stream's total is unknown", async () => {
    const state = { progress: 0, status: "uploading" as const, bytesSent: 3_000_000, totalBytes: 3_500_000, totalUnknown: true, speed: 1_000_000, attempt: 1, file: { name: "recording.webm", size: 0, type: "video/webm" }, uploadId: "upload-1" };
    const { container, rerender } = render(<UploadStatus state={state} onPause={vi.fn()} />);
    expect(screen.getByText("3 MB sent")).toBeInTheDocument();
    expect(screen.queryByText("0%")).toBeNull();
    expect(screen.queryByText(/of 3\.5 MB/)).toBeNull();
    expect(container.firstElementChild).toHaveAttribute("data-total-unknown", "");
    const bar = screen.getByRole("progressbar", { name: "Upload progress" });
    expect(bar).toHaveAttribute("data-state", "indeterminate");
    expect(bar).not.toHaveAttribute("aria-valuenow");
    expect(bar).toHaveAttribute("aria-valuetext", "3 MB sent");
    expect(await axeViolations(container)).toEqual([]);

    // The stream ended: its total is known, and the usual percent and "x of y" come back.
    const { totalUnknown: _ended, ...known } = state;
    rerender(<UploadStatus state={{ ...known, progress: 75, totalBytes: 4_000_000 }} onPause={vi.fn()} />);
    expect(screen.getByText("3 MB of 4 MB")).toBeInTheDocument();
    expect(screen.getByText("75%")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "75");
  });
});

describe("VideoUploader with a memory backend", () => {
  it("uploads a picked file, processes it, reports the ready asset and moves focus to it", async () => {
    const user = userEvent.setup();
    const transport = createMemoryTransport(fast);
    const onUploaded = vi.fn();
    const { container } = render(<VideoUploader lessonId="lesson-1" onUploaded={onUploaded} />, { wrapper: withProvider(transport) });
    expect(await axeViolations(container)).toEqual([]);
    const file = createFakeVideoFile({ name: "closures.mp4", size: 512 * 1024 });
    await user.click(screen.getByRole("button", { name: "Drag a video here or choose a file" }));
    await user.upload(fileInput(container), file);
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ status: "ready" })), { timeout: 5000 });
    const uploadId = onUploaded.mock.calls[0]![0].uploadId as string;
    expect(transport.receivedBytes(uploadId)).toBe(file.size);
    const ready = screen.getByRole("group", { name: "Upload complete" });
    expect(ready).toHaveFocus();
    expect(container.querySelector("[data-status]")).toHaveAttribute("data-status", "complete");
    expect(within(ready).getByRole("button", { name: "Replace video" })).toBeInTheDocument();
    await waitFor(() => expect(liveRegion(container)).toHaveTextContent("The video is ready."));
  });

  it("after a dropped connection shows the error, focuses Retry and resumes from the committed byte", async () => {
    const user = userEvent.setup();
    const transport = createMemoryTransport({ ...fast, failAt: { byte: 256 * 1024, code: "network" } });
    const onUploaded = vi.fn();
    const { container } = render(<VideoUploader onUploaded={onUploaded} />, { wrapper: withProvider(transport) });
    await user.upload(fileInput(container), createFakeVideoFile({ size: 512 * 1024 }));
    const retry = await screen.findByRole("button", { name: "Retry" }, { timeout: 5000 });
    expect(screen.getByText("The connection was lost. The upload will continue when you retry.")).toBeInTheDocument();
    await waitFor(() => expect(retry).toHaveFocus());
    expect(await axeViolations(container)).toEqual([]);
    await user.click(retry);
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), { timeout: 5000 });
    expect(transport.calls.createUpload).toBe(1);
  });

  it("refuses a file whose bytes are not a video, with no request and no Retry", async () => {
    const user = userEvent.setup();
    const transport = createMemoryTransport(fast);
    const { container } = render(<VideoUploader />, { wrapper: withProvider(transport) });
    await user.upload(fileInput(container), new File(["<html>not a video</html>"], "lesson.mp4", { type: "video/mp4" }));
    await screen.findByText("This file is not a video, whatever its name says. Choose a video file.");
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
    expect(screen.getByRole("button", { name: "Choose another video" })).toBeInTheDocument();
    expect(transport.calls.createUpload).toBe(0);
  });

  it("pauses and resumes from the keyboard", async () => {
    const user = userEvent.setup();
    const transport = createMemoryTransport({ ...fast, bytesPerSecond: 512 * 1024 });
    const { container } = render(<VideoUploader />, { wrapper: withProvider(transport) });
    await user.upload(fileInput(container), createFakeVideoFile({ size: 1024 * 1024 }));
    const pause = await screen.findByRole("button", { name: "Pause" });
    pause.focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(container.querySelector("[data-status]")).toHaveAttribute("data-status", "paused"));
    const resume = screen.getByRole("button", { name: "Resume" });
    resume.focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(container.querySelector("[data-status]")).toHaveAttribute("data-status", "complete"), { timeout: 8000 });
  });
});

describe("VideoManager", () => {
  it("asks before removing, keeps the video on No and removes it on Yes", async () => {
    const user = userEvent.setup();
    const onAssetChange = vi.fn();
    const { container } = render(<VideoManager defaultAsset={readyAsset} onAssetChange={onAssetChange} />, {
      wrapper: withProvider(createMemoryTransport(fast)),
    });
    await user.click(screen.getByRole("button", { name: "Remove video" }));
    expect(screen.getByRole("group", { name: "Remove this video from the lesson?" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "No, keep it" })).toHaveFocus();
    expect(await axeViolations(container)).toEqual([]);
    await user.click(screen.getByRole("button", { name: "No, keep it" }));
    expect(screen.getByRole("button", { name: "Remove video" })).toHaveFocus();
    expect(onAssetChange).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Remove video" }));
    await user.click(screen.getByRole("button", { name: "Yes, remove it" }));
    expect(onAssetChange).toHaveBeenCalledWith(null);
    expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "empty");
    expect(screen.getByRole("button", { name: "Drag a video here or choose a file" })).toHaveFocus();
    await waitFor(() => expect(liveRegion(container)).toHaveTextContent("Video removed."));
  });

  it("replaces the video with a new upload", async () => {
    const user = userEvent.setup();
    const onAssetChange = vi.fn();
    const { container } = render(<VideoManager defaultAsset={readyAsset} onAssetChange={onAssetChange} />, {
      wrapper: withProvider(createMemoryTransport(fast)),
    });
    await user.click(screen.getByRole("button", { name: "Replace video" }));
    expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "replacing");
    await user.upload(fileInput(container), createFakeVideoFile({ size: 128 * 1024 }));
    await waitFor(() => expect(onAssetChange).toHaveBeenCalledWith(expect.objectContaining({ status: "ready" })), { timeout: 5000 });
    expect(onAssetChange.mock.calls[0]![0].id).not.toBe(readyAsset.id);
    // The callback fires with the asset; the view follows on the next commit (late under load).
    await waitFor(() => expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "ready"));
  });

  it("follows a processing video until it is ready", async () => {
    const transport = createMemoryTransport({ ...fast, assets: [{ id: "asset-p", status: "preparing" }] });
    const onAssetChange = vi.fn();
    const { container } = render(<VideoManager defaultAsset={{ id: "asset-p", status: "preparing" }} onAssetChange={onAssetChange} />, {
      wrapper: withProvider(transport),
    });
    expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "preparing");
    // The hint shows at once; the bar comes with the media panels' code (loaded on mount).
    expect(screen.getByText("The video is processing. It can be played when it is ready.")).toBeInTheDocument();
    expect(await screen.findByRole("progressbar", { name: "Processing progress" })).toBeInTheDocument();
    act(() => transport.putAsset({ ...readyAsset, id: "asset-p" }));
    await waitFor(() => expect(container.querySelector(".lvk-manager")).toHaveAttribute("data-state", "ready"), { timeout: 5000 });
    expect(onAssetChange).toHaveBeenCalledWith(expect.objectContaining({ id: "asset-p", status: "ready" }));
  });
});

describe("LessonForm", () => {
  it("outside a VideoProvider names itself and the fix, not an inner hook", () => {
    // React logs the thrown render error; the assertion is on what the developer reads.
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const [element, name] of [
      [<LessonForm onSubmit={() => undefined} />, "<LessonForm>"],
      [<VideoUploader />, "<VideoUploader>"],
      [<VideoManager />, "<VideoManager>"],
    ] as const) {
      expect(() => render(element)).toThrow(`${name} must be used inside <VideoProvider>. Wrap it, or a parent, in <VideoProvider transport={createHttpTransport()}>.`);
    }
    logged.mockRestore();
  });

  it("on an empty submit shows linked errors, focuses the title and does not call onSubmit", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    const { container } = render(<LessonForm onSubmit={onSubmit} />, { wrapper: withProvider(createMemoryTransport(fast)) });
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    const title = screen.getByRole("textbox", { name: /Title/ });
    await waitFor(() => expect(title).toHaveFocus());
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveAccessibleDescription(expect.stringContaining("Enter a title."));
    expect(onSubmit).not.toHaveBeenCalled();
    await waitFor(() => expect(liveRegion(container)).toHaveTextContent("1 field needs attention."));
    expect(await axeViolations(container)).toEqual([]);
  });

  it("refuses a title over the limit", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(<LessonForm onSubmit={onSubmit} titleMaxLength={10} defaultValue={{ title: "A title that is too long", description: "", video: null }} />, {
      wrapper: withProvider(createMemoryTransport(fast)),
    });
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    expect(screen.getByRole("textbox", { name: /Title/ })).toHaveAccessibleDescription(expect.stringContaining("Title must be 10 characters or fewer."));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("awaits onSubmit: Saving… while pending, then saved", async () => {
    const user = userEvent.setup();
    let finish!: () => void;
    const onSubmit = vi.fn((_lesson: LessonSubmission) => new Promise<void>((resolve) => (finish = resolve)));
    const { container } = render(
      <LessonForm onSubmit={onSubmit} defaultValue={{ id: "lesson-7", title: " Closures ", description: "Functions.", video: readyAsset }} />,
      { wrapper: withProvider(createMemoryTransport(fast)) },
    );
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(screen.getByRole("button", { name: "Saving…" })).toBeDisabled();
    expect(container.querySelector("form")).toHaveAttribute("data-state", "submitting");
    expect(onSubmit).toHaveBeenCalledWith({
      id: "lesson-7",
      title: "Closures",
      description: "Functions.",
      muxAssetId: "asset-9",
      muxPlaybackId: "pb-9",
      videoStatus: "ready",
      uploadId: null,
    });
    await act(async () => finish());
    expect(screen.getByText("Lesson saved.")).toBeInTheDocument();
    expect(container.querySelector("form")).toHaveAttribute("data-state", "saved");
  });

  it("takes the id onSubmit resolves with, so saving again edits the new lesson instead of creating another", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (lesson: LessonSubmission) => ({ ...lesson, id: lesson.id ?? "lesson-42" }));
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(createMemoryTransport(fast)),
    });
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    expect(await screen.findByText("Lesson saved.")).toBeInTheDocument();
    expect(onSubmit.mock.calls[0]![0]).not.toHaveProperty("id");
    expect(container.querySelector("form")).toHaveAttribute("data-mode", "edit");
    await user.type(screen.getByRole("textbox", { name: /Title/ }), " in practice");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]![0]).toMatchObject({ id: "lesson-42", title: "Closures in practice" });
  });

  it("shows a server refusal as an alert and its field errors on the fields", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => {
      throw Object.assign(new Error("That title is taken."), { fieldErrors: { title: "Choose another title." } });
    });
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(createMemoryTransport(fast)),
    });
    await user.click(screen.getByRole("button", { name: "Create lesson" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That title is taken.");
    expect(screen.getByRole("textbox", { name: /Title/ })).toHaveAccessibleDescription(expect.stringContaining("Choose another title."));
    expect(container.querySelector("form")).toHaveAttribute("data-state", "error");
    expect(await axeViolations(container)).toEqual([]);
  });

  it("is controllable: edits go through onChange and the value prop wins", async () => {
    const user = userEvent.setup();
    const seen: LessonFormValue[] = [];
    function Host() {
      const [value, setValue] = useState<LessonFormValue>({ title: "Clo", description: "", video: null });
      return (
        <LessonForm
          value={value}
          onChange={(next) => {
            seen.push(next);
            setValue({ ...next, title: next.title.toUpperCase() });
          }}
          onSubmit={vi.fn()}
        />
      );
    }
    render(<Host />, { wrapper: withProvider(createMemoryTransport(fast)) });
    await user.type(screen.getByRole("textbox", { name: /Title/ }), "s");
    expect(seen.at(-1)?.title).toBe("Clos");
    expect(screen.getByRole("textbox", { name: /Title/ })).toHaveValue("CLOS");
  });

  it("while a video uploads disables Save and offers to save now with the upload continuing", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_lesson: LessonSubmission) => undefined);
    const transport = createMemoryTransport({ ...fast, bytesPerSecond: 256 * 1024 });
    const { container } = render(<LessonForm onSubmit={onSubmit} defaultValue={{ title: "Closures", description: "", video: null }} />, {
      wrapper: withProvider(transport),
    });
    await user.upload(fileInput(container), createFakeVideoFile({ size: 4 * 1024 * 1024 }));
    await screen.findByRole("button", { name: "Pause" });
    expect(screen.getByRole("button", { name: "Create lesson" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Save now, video continues" }));
    await screen.findByText("Lesson saved.");
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ title: "Closures", videoStatus: "processing", uploadId: "upload-1" });
    expect(container.querySelector("[data-status]")).toHaveAttribute("data-status", "uploading");
  });

  it("forwards its ref to the form and sees the same upload as useVideo()", async () => {
    const ref = createRef<HTMLFormElement>();
    let status = "";
    function Probe() {
      status = useVideo().state.uploadState.status;
      return null;
    }
    render(
      <>
        <LessonForm ref={ref} onSubmit={vi.fn()} />
        <Probe />
      </>,
      { wrapper: withProvider(createMemoryTransport(fast)) },
    );
    expect(ref.current?.tagName).toBe("FORM");
    expect(status).toBe("idle");
  });
});
