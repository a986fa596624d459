// VideoThumbnail in real Chromium, waiting on the image's own load/error event: an image the browser already holds
// (it can finish before React listens), a broken one, and a new src after a failure.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach } from "vitest";
import { VideoThumbnail } from "../../../src/index.js";
import "../../../src/components/styles.css";
import { imageSettled } from "../../../stories/support/image-settled.js";

afterEach(cleanup);

async function pictureUrl(colour: string): Promise<string> {
  const canvas = document.createElement("canvas");
  canvas.width = 64;
  canvas.height = 36;
  const context = canvas.getContext("2d")!;
  context.fillStyle = colour;
  context.fillRect(0, 0, 64, 36);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("no blob"))), "image/png"),
  );
  return URL.createObjectURL(blob);
}

async function preloaded(url: string): Promise<void> {
  const image = new Image();
  image.src = url;
  await image.decode();
}

describe("VideoThumbnail in Chromium", () => {
  it("ends loaded when the image is already in the browser's cache", async () => {
    const url = await pictureUrl("#2a6");
    await preloaded(url);
    const { container } = render(<VideoThumbnail src={url} alt="Green slide" loading="eager" />);
    const image = screen.getByRole<HTMLImageElement>("img", { name: "Green slide" });
    expect(await imageSettled(image)).toBe("load");
    await waitFor(() => expect(container.firstElementChild).toHaveAttribute("data-state", "loaded"));
    expect(image.naturalWidth).toBe(64);
  });

  it("shows the placeholder for an image that fails, and starts over at loading for a new src", async () => {
    const broken = await pictureUrl("#a26");
    URL.revokeObjectURL(broken);
    const { container, rerender } = render(<VideoThumbnail src={broken} alt="Lesson poster" loading="eager" />);
    expect(await imageSettled(screen.getByRole<HTMLImageElement>("img"))).toBe("error");
    await waitFor(() => expect(container.firstElementChild).toHaveAttribute("data-state", "error"));
    expect(screen.getByText("Preview not available")).toBeVisible();

    const url = await pictureUrl("#26a");
    rerender(<VideoThumbnail src={url} alt="Lesson poster" loading="eager" />);
    const root = container.firstElementChild;
    const image = screen.getByRole<HTMLImageElement>("img", { name: "Lesson poster" });
    expect(image.tagName).toBe("IMG");
    expect(root).not.toHaveAttribute("data-state", "error");
    expect(await imageSettled(image)).toBe("load");
    await waitFor(() => expect(root).toHaveAttribute("data-state", "loaded"));
  });
});
