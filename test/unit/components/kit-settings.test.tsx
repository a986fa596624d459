import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import {
  ErrorDisplay,
  KitSettingsProvider,
  LessonForm,
  MessagesProvider,
  ProgressBar,
  VideoManager,
  VideoProvider,
  VideoSection,
  VideoUploader,
  type VideoAsset,
} from "../../../src/index.js";
import { createMemoryTransport } from "../../../src/testing/index.js";
import { readyAssetWith } from "./provider.js";

vi.mock("@mux/mux-player-react", () => import("./jsdom-player.js"));

const readyAsset = readyAssetWith({ duration: 60 });
const erroredAsset: VideoAsset = { id: "asset-8", status: "errored", errors: [{ type: "invalid_input", message: "Unsupported codec." }] };

function Provider({ children }: { children: ReactNode }) {
  return <VideoProvider transport={createMemoryTransport()}>{children}</VideoProvider>;
}

/** Every element below `root` that carries one of the kit's class names. */
const kitStyled = (root: HTMLElement) => [...root.querySelectorAll("[class]")].filter((element) => /\blvk-/.test(element.getAttribute("class") ?? ""));

describe("unstyled and messages are ambient", () => {
  it("a composite's unstyled reaches every component it renders, down to the atoms", async () => {
    const { container } = render(<VideoSection unstyled asset={readyAsset} onAssetChange={vi.fn()} />, { wrapper: Provider });
    await screen.findByTestId("player");
    expect(screen.getByRole("button", { name: "Replace video" })).toBeInTheDocument();
    expect(kitStyled(container)).toEqual([]);
  });

  it("an errored video under an unstyled manager renders its error and thumbnail without kit classes", () => {
    const { container } = render(<VideoManager unstyled defaultAsset={erroredAsset} />, { wrapper: Provider });
    expect(container.querySelector("[data-code=processing_failed]")).toBeInTheDocument();
    expect(kitStyled(container)).toEqual([]);
  });

  it("KitSettingsProvider's unstyled applies to every component below it, nested composites included", () => {
    const { container } = render(
      <KitSettingsProvider unstyled>
        <LessonForm onSubmit={vi.fn()} />
      </KitSettingsProvider>,
      { wrapper: Provider },
    );
    expect(screen.getByRole("button", { name: "Drag a video here or choose a file" })).toBeInTheDocument();
    expect(kitStyled(container)).toEqual([]);
  });

  it("a child's own unstyled wins over its parent's, for the child's subtree", () => {
    const { container } = render(
      <KitSettingsProvider unstyled>
        <ProgressBar value={10} label="Outside" />
        <VideoManager unstyled={false} defaultAsset={erroredAsset} />
      </KitSettingsProvider>,
      { wrapper: Provider },
    );
    expect(screen.getByRole("progressbar", { name: "Outside" }).className).not.toMatch(/lvk-/);
    expect(container.querySelector("[data-state=errored]")).toHaveClass("lvk-manager");
    expect(container.querySelector("[data-state=error]")).toHaveClass("lvk-error");
  });

  it("a parent's messages reach its whole subtree, merged over the outer providers'", () => {
    render(
      <MessagesProvider messages={{ manager: { noVideo: "Aucune vidéo.", replace: "outer" } }}>
        <LessonForm onSubmit={vi.fn()} messages={{ form: { video: "Vidéo" }, upload: { dropzoneHint: "Déposez une vidéo ici" } }} />
      </MessagesProvider>,
      { wrapper: Provider },
    );
    // LessonForm → VideoSection (legend) → VideoManager (hint) → VideoUploader → UploadForm → UploadButton.
    expect(screen.getByRole("group", { name: "Vidéo" })).toBeInTheDocument();
    expect(screen.getByText("Aucune vidéo.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Déposez une vidéo ici" })).toBeInTheDocument();
  });

  it("a child's own messages win over its parent's", () => {
    render(
      <KitSettingsProvider messages={{ errors: { server: "Parent." }, status: { retry: "Parent retry" } }}>
        <ErrorDisplay live error={{ code: "server", message: "x", retryable: true }} onRetry={vi.fn()} messages={{ errors: { server: "Child." } }} />
      </KitSettingsProvider>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Child.");
    expect(screen.getByRole("button", { name: "Parent retry" })).toBeInTheDocument();
  });

  it("setting unstyled or messages later keeps what is below mounted (a confirmation stays open)", async () => {
    const user = userEvent.setup();
    const { rerender, container } = render(<VideoManager defaultAsset={readyAsset} />, { wrapper: Provider });
    await user.click(screen.getByRole("button", { name: "Remove video" }));
    expect(screen.getByRole("button", { name: "No, keep it" })).toHaveFocus();
    rerender(<VideoManager defaultAsset={readyAsset} unstyled messages={{ manager: { confirmRemoveNo: "Keep" } }} />);
    await waitFor(() => expect(screen.getByRole("button", { name: "Keep" })).toHaveFocus());
    expect(container.querySelector("[data-state=confirming]")).not.toHaveClass("lvk-manager");
  });

  it("VideoUploader's views take the uploader's settings without being handed them", async () => {
    const user = userEvent.setup();
    const { container } = render(<VideoUploader unstyled messages={{ status: { pause: "Pausieren" } }} />, { wrapper: Provider });
    const input = container.querySelector<HTMLInputElement>("input[type=file]")!;
    await user.upload(input, new File([new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]), new Uint8Array(4096)], "a.mp4", { type: "video/mp4" }));
    expect(await screen.findByRole("button", { name: "Pausieren" })).toBeInTheDocument();
    expect(kitStyled(container)).toEqual([]);
  });
});
