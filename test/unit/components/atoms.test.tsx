import "@testing-library/jest-dom/vitest";
import { act, createEvent, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import {
  defaultErrorMessages,
  ErrorDisplay,
  FormField,
  MessagesProvider,
  ProgressBar,
  UploadButton,
  ValidationMessage,
  VideoError,
  VideoProvider,
  VideoThumbnail,
} from "../../../src/index.js";
import { createMemoryTransport } from "../../../src/testing/index.js";
import { axeViolations } from "./axe.js";

const video = () => new File([new Uint8Array(32)], "lesson.mp4", { type: "video/mp4" });

function dropEvent(target: Element, type: "dragEnter" | "drop", files: File[]) {
  const items = files.map((file) => ({ kind: "file", type: file.type, getAsFile: () => file }));
  const event = createEvent[type](target);
  Object.defineProperty(event, "dataTransfer", { value: { files, items, types: ["Files"], dropEffect: "none" } });
  fireEvent(target, event);
}

describe("UploadButton", () => {
  it("opens the file picker on click and hands over the chosen file", async () => {
    const user = userEvent.setup();
    const onFileSelect = vi.fn();
    const { container } = render(<UploadButton onFileSelect={onFileSelect} />);
    const input = container.querySelector<HTMLInputElement>("input[type=file]")!;
    const pickerOpened = vi.spyOn(input, "click");
    await user.click(screen.getByRole("button", { name: "Choose a video" }));
    expect(pickerOpened).toHaveBeenCalledOnce();
    const file = video();
    await user.upload(input, file);
    expect(onFileSelect).toHaveBeenCalledWith(file);
    expect(await axeViolations(container)).toEqual([]);
  });

  it("as a drop zone is a named button that Enter and Space operate, described by its constraints", async () => {
    const user = userEvent.setup();
    const { container } = render(<UploadButton variant="dropzone" onFileSelect={vi.fn()} description="MP4 up to 5 GB" />);
    const zone = screen.getByRole("button", { name: "Drag a video here or choose a file" });
    expect(zone).toHaveAccessibleDescription("MP4 up to 5 GB");
    const pickerOpened = vi.spyOn(container.querySelector<HTMLInputElement>("input[type=file]")!, "click");
    await user.tab();
    expect(zone).toHaveFocus();
    await user.keyboard("{Enter}");
    await user.keyboard(" ");
    expect(pickerOpened).toHaveBeenCalledTimes(2);
    expect(await axeViolations(container)).toEqual([]);
  });

  it("shows whether a dragged file is acceptable and takes the dropped file", () => {
    const onFileSelect = vi.fn();
    const { container } = render(<UploadButton variant="dropzone" onFileSelect={onFileSelect} />);
    const zone = container.querySelector(".lvk-dropzone")!;
    dropEvent(zone, "dragEnter", [new File(["x"], "notes.pdf", { type: "application/pdf" })]);
    expect(zone).toHaveAttribute("data-state", "rejecting");
    expect(screen.getByRole("button")).toHaveTextContent("Only video files can be uploaded");
    dropEvent(zone, "dragEnter", [video()]);
    expect(zone).toHaveAttribute("data-state", "dragging");
    const file = video();
    dropEvent(zone, "drop", [file]);
    expect(onFileSelect).toHaveBeenCalledWith(file);
    expect(zone).toHaveAttribute("data-state", "idle");
  });

  it("ignores drops while disabled", () => {
    const onFileSelect = vi.fn();
    const { container } = render(<UploadButton variant="dropzone" disabled onFileSelect={onFileSelect} />);
    const zone = container.querySelector(".lvk-dropzone")!;
    dropEvent(zone, "drop", [video()]);
    expect(onFileSelect).not.toHaveBeenCalled();
    expect(zone).toHaveAttribute("data-state", "disabled");
    expect(screen.getByRole("button")).toBeDisabled();
  });

  it("forwards its ref to the button, merges className and drops kit classes when unstyled", () => {
    const ref = createRef<HTMLButtonElement>();
    render(<UploadButton ref={ref} onFileSelect={vi.fn()} className="mine" unstyled />);
    expect(ref.current).toBe(screen.getByRole("button"));
    expect(ref.current?.className).toBe("mine");
  });
});

describe("ProgressBar", () => {
  it("reports a determinate value with a readable value text", async () => {
    const { container } = render(<ProgressBar label="Upload progress" value={42.4} valueText="42%, 12 MB of 28 MB" />);
    const bar = screen.getByRole("progressbar", { name: "Upload progress" });
    expect(bar).toHaveAttribute("aria-valuenow", "42.4");
    expect(bar).toHaveAttribute("aria-valuetext", "42%, 12 MB of 28 MB");
    expect(bar).toHaveAttribute("data-state", "loading");
    expect(await axeViolations(container)).toEqual([]);
  });

  it("is indeterminate without a value and complete at 100", () => {
    const { rerender } = render(<ProgressBar label="Processing" value={null} />);
    expect(screen.getByRole("progressbar")).not.toHaveAttribute("aria-valuenow");
    expect(screen.getByRole("progressbar")).toHaveAttribute("data-state", "indeterminate");
    rerender(<ProgressBar label="Processing" value={140} />);
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getByRole("progressbar")).toHaveAttribute("data-state", "complete");
  });
});

describe("VideoThumbnail", () => {
  it("keeps the aspect ratio and goes from loading to loaded", async () => {
    const { container } = render(<VideoThumbnail src="/poster.jpg" alt="The lesson's first slide" aspectRatio="4:3" />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.style.aspectRatio).toBe("4 / 3");
    expect(root).toHaveAttribute("data-state", "loading");
    fireEvent.load(screen.getByRole("img", { name: "The lesson's first slide" }));
    expect(root).toHaveAttribute("data-state", "loaded");
    expect(await axeViolations(container)).toEqual([]);
  });

  it("says the preview is unavailable when the image fails, and keeps its alt text", async () => {
    const { container } = render(<VideoThumbnail src="/missing.jpg" alt="Lesson poster" />);
    fireEvent.error(screen.getByRole("img"));
    expect(container.firstElementChild).toHaveAttribute("data-state", "error");
    expect(screen.getByRole("img", { name: "Lesson poster" })).toBeInTheDocument();
    expect(screen.getByText("Preview not available")).toBeInTheDocument();
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe("ErrorDisplay", () => {
  it("shows the message for the error's code and a Retry that works when retryable", async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    const { container } = render(<ErrorDisplay error={new VideoError("network", "socket hang up")} onRetry={onRetry} />);
    expect(screen.getByText("The connection was lost. The upload will continue when you retry.")).toBeInTheDocument();
    expect(screen.queryByText("socket hang up")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledOnce();
    expect(container.firstElementChild).toHaveAttribute("data-code", "network");
    expect(await axeViolations(container)).toEqual([]);
  });

  it("offers no Retry when retrying cannot help", () => {
    render(<ErrorDisplay error={new VideoError("file_not_video", "x")} onRetry={vi.fn()} />);
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("uses the error's own message for codes it does not know, and is an alert when asked", () => {
    render(<ErrorDisplay live error={{ message: "Title already taken", code: "conflict" }} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Title already taken");
  });

  it("takes translated messages from the VideoProvider, a MessagesProvider and its own prop, innermost winning", () => {
    render(
      <VideoProvider transport={createMemoryTransport()} messages={{ network: "Verbindung verloren." }}>
        <MessagesProvider messages={{ status: { retry: "Erneut versuchen" } }}>
          <ErrorDisplay error={new VideoError("network", "x")} onRetry={vi.fn()} />
          <ErrorDisplay error={new VideoError("server", "x")} messages={{ errors: { server: "Serverfehler." } }} />
        </MessagesProvider>
      </VideoProvider>,
    );
    expect(screen.getByText("Verbindung verloren.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Erneut versuchen" })).toBeInTheDocument();
    expect(screen.getByText("Serverfehler.")).toBeInTheDocument();
  });
});

describe("FormField and ValidationMessage", () => {
  it("labels the control and links hint and error with aria-describedby", async () => {
    const { container } = render(
      <FormField label="Title" hint="Shown in the lesson list." error="Enter a title." required>
        <input />
      </FormField>,
    );
    const input = screen.getByRole("textbox", { name: /Title/ });
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAttribute("aria-required", "true");
    expect(input).toHaveAccessibleDescription("Enter a title. Shown in the lesson list.");
    expect(await axeViolations(container)).toEqual([]);
  });

  it("renders nothing for an empty validation message and marks a valid field", () => {
    const { container } = render(
      <FormField label="Description">{(control) => <textarea {...control} />}</FormField>,
    );
    expect(screen.getByRole("textbox", { name: "Description" })).not.toHaveAttribute("aria-invalid");
    expect(container.firstElementChild).toHaveAttribute("data-state", "valid");
    const { container: empty } = render(<ValidationMessage>{""}</ValidationMessage>);
    expect(empty).toBeEmptyDOMElement();
  });
});

describe("one shared live region", () => {
  it("exists once even when announcing components nest", async () => {
    const { LiveAnnouncer } = await import("../../../src/index.js");
    const { container } = render(
      <LiveAnnouncer>
        <LiveAnnouncer>
          <p>inner</p>
        </LiveAnnouncer>
      </LiveAnnouncer>,
    );
    expect(container.querySelectorAll("[aria-live]")).toHaveLength(1);
    await act(async () => undefined);
  });
});

describe("messages given as undefined", () => {
  it("keep the default texts of the VideoProvider, a MessagesProvider and the component's own prop", () => {
    render(
      <VideoProvider transport={createMemoryTransport()} messages={{ network: undefined }}>
        <MessagesProvider messages={{ status: { retry: undefined } }}>
          <ErrorDisplay error={new VideoError("network", "x")} onRetry={vi.fn()} messages={{ errors: { network: undefined } }} />
        </MessagesProvider>
      </VideoProvider>,
    );
    expect(screen.getByText(defaultErrorMessages.network)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});

describe("nested MessagesProviders", () => {
  it("combine their overrides and keep the VideoProvider's error texts", () => {
    render(
      <VideoProvider transport={createMemoryTransport()} messages={{ network: "Verbindung verloren." }}>
        <MessagesProvider messages={{ status: { retry: "Erneut versuchen" } }}>
          <MessagesProvider messages={{ errors: { server: "Serverfehler." } }}>
            <ErrorDisplay error={new VideoError("network", "x")} onRetry={vi.fn()} />
            <ErrorDisplay error={new VideoError("server", "x")} onRetry={vi.fn()} />
          </MessagesProvider>
        </MessagesProvider>
      </VideoProvider>,
    );
    expect(screen.getByText("Verbindung verloren.")).toBeInTheDocument();
    expect(screen.getByText("Serverfehler.")).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "Erneut versuchen" })).toHaveLength(2);
  });
});
