import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { forwardRef } from "react";
import {
  LessonForm,
  LessonPlayer,
  VideoManager,
  VideoPlayer,
  VideoSection,
  useVideo,
  type VideoAsset,
  type VideoManagerProps,
  type VideoPlayerOptions,
  type VideoPlayerProps,
  type VideoSectionProps,
} from "../../../src/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { fast, readyAssetWith, withProvider } from "./provider.js";

// The props Mux's player receives, in place of the web component jsdom cannot run.
const playerCalls = vi.hoisted(() => [] as Array<Record<string, unknown>>);
vi.mock("@mux/mux-player-react", () => ({
  default: forwardRef<HTMLVideoElement, Record<string, unknown>>(function RecordingPlayer(props, ref) {
    playerCalls.push(props);
    return <video ref={ref} title={props.title as string | undefined} data-testid="player" />;
  }),
}));
const lastPlayerProps = () => playerCalls.at(-1) ?? {};

const readyAsset = readyAssetWith({ duration: 60 });

beforeEach(() => {
  playerCalls.length = 0;
});

describe("types: nothing the player or the manager takes can be dropped on the way", () => {
  it("every VideoManager prop can be set through VideoSection (its own props or `manager`)", () => {
    type ThroughSection = keyof VideoSectionProps | keyof NonNullable<VideoSectionProps["manager"]>;
    // `defaultAsset` only: the section's video is controlled.
    expectTypeOf<Exclude<keyof VideoManagerProps, ThroughSection>>().toEqualTypeOf<"defaultAsset">();
  });

  it("VideoPlayerOptions is every VideoPlayer prop except what plays, its title and the ambient settings", () => {
    expectTypeOf<Exclude<keyof VideoPlayerProps, keyof VideoPlayerOptions>>().toEqualTypeOf<
      "asset" | "playbackId" | "tokens" | "src" | "poster" | "storyboardSrc" | "type" | "captions" | "aspectRatio" | "title" | "messages" | "unstyled"
    >();
    expectTypeOf<NonNullable<VideoManagerProps["player"]>>().toEqualTypeOf<VideoPlayerOptions>();
    expectTypeOf<NonNullable<VideoSectionProps["player"]>>().toEqualTypeOf<VideoPlayerOptions>();
  });
});

describe("VideoSection hands VideoManager its other props", () => {
  it("confirmRemove: false removes the video without asking", async () => {
    const user = userEvent.setup();
    const onAssetChange = vi.fn();
    render(<VideoSection asset={readyAsset} onAssetChange={onAssetChange} manager={{ confirmRemove: false }} />, { wrapper: withProvider() });
    await user.click(screen.getByRole("button", { name: "Remove video" }));
    expect(onAssetChange).toHaveBeenCalledWith(null);
    expect(screen.queryByRole("group", { name: "Remove this video from the lesson?" })).toBeNull();
  });

  it("captions: false leaves out the captions panel a ready video otherwise has", async () => {
    const { unmount } = render(<VideoSection asset={readyAsset} onAssetChange={vi.fn()} />, { wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })) });
    expect(await screen.findByText("This video has no captions yet.")).toBeInTheDocument();
    unmount();
    const { container } = render(<VideoSection asset={readyAsset} onAssetChange={vi.fn()} manager={{ captions: false }} />, {
      wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })),
    });
    // The player and the captions panel arrive with the same module: once the player shows, the panel would too.
    await screen.findByTestId("player");
    expect(container.querySelector(".lvk-captions")).toBeNull();
  });

  it("shared: false uploads on the section's own upload, which useVideo() does not see", async () => {
    const user = userEvent.setup();
    function ProviderUpload() {
      return <p data-testid="provider-upload">{useVideo().state.uploadState.status}</p>;
    }
    const { container } = render(
      <>
        <VideoSection asset={null} onAssetChange={vi.fn()} manager={{ shared: false, className: "mine" }} />
        <ProviderUpload />
      </>,
      { wrapper: withProvider(createMemoryTransport({ ...fast, bytesPerSecond: 64 * 1024 })) },
    );
    expect(container.querySelector("[data-state=empty].mine")).toBeInTheDocument();
    await user.upload(container.querySelector<HTMLInputElement>("input[type=file]")!, createFakeVideoFile({ size: 256 * 1024 }));
    await waitFor(() => expect(container.querySelector(".lvk-uploader")).not.toHaveAttribute("data-status", "idle"));
    expect(screen.getByTestId("provider-upload")).toHaveTextContent("idle");
  });
});

describe("player options travel as one object", () => {
  it("VideoSection's player reaches Mux's player: poster frame, captions off at start, the player's own props", async () => {
    render(
      <VideoSection
        asset={readyAsset}
        onAssetChange={vi.fn()}
        player={{ thumbnailTime: 12, captionsOnByDefault: false, muted: true, playerProps: { accentColor: "#ff0000" } }}
      />,
      { wrapper: withProvider() },
    );
    await screen.findByTestId("player");
    expect(lastPlayerProps()).toMatchObject({ poster: "/poster.jpg?time=12", defaultHiddenCaptions: true, muted: true, accentColor: "#ff0000" });
  });

  it("the deprecated flat props still work, and player wins over them", async () => {
    const { rerender } = render(<VideoManager defaultAsset={readyAsset} thumbnailTime={5} />, { wrapper: withProvider() });
    await screen.findByTestId("player");
    expect(lastPlayerProps()).toMatchObject({ poster: "/poster.jpg?time=5" });
    rerender(<VideoManager defaultAsset={readyAsset} thumbnailTime={5} player={{ thumbnailTime: 7 }} />);
    await waitFor(() => expect(lastPlayerProps()).toMatchObject({ poster: "/poster.jpg?time=7" }));
  });

  it("LessonForm's player reaches the player, and the lesson's own poster frame wins over it", async () => {
    render(
      <LessonForm
        onSubmit={vi.fn()}
        defaultValue={{ title: "Closures", description: "", video: readyAsset, thumbnailTime: 3 }}
        player={{ thumbnailTime: 9, playerProps: { accentColor: "#00ff00" } }}
      />,
      { wrapper: withProvider(createMemoryTransport({ ...fast, assets: [readyAsset] })) },
    );
    await screen.findByTestId("player");
    expect(lastPlayerProps()).toMatchObject({ poster: "/poster.jpg?time=3", accentColor: "#00ff00", title: "Closures" });
  });
});

describe("a trimmed video", () => {
  const trim = { startTime: 20, endTime: 50 };

  it("a Mux playback id gets assetStartTime and assetEndTime; the poster frame stays inside the trim", async () => {
    const muxAsset: VideoAsset = { id: "asset-m", status: "ready", playbackId: "pb-m", duration: 60 };
    render(<VideoPlayer asset={muxAsset} trim={trim} thumbnailTime={5} />);
    await screen.findByTestId("player");
    expect(lastPlayerProps()).toMatchObject({ playbackId: "pb-m", assetStartTime: 20, assetEndTime: 50, thumbnailTime: 20 });
  });

  it("the emulator's stream URL gets Mux's query parameters, any other URL a media fragment", async () => {
    const emulated: VideoAsset = {
      ...readyAsset,
      playback: { src: "http://127.0.0.1:4000/stream/pb-9.mp4?token=t", poster: "/poster.jpg" },
      captions: [{ id: "tr1", languageCode: "en", name: "English", closedCaptions: false, status: "ready", source: "uploaded", src: "http://127.0.0.1:4000/stream/pb-9/text/tr1.vtt" }],
    };
    const { rerender } = render(<VideoPlayer asset={emulated} trim={trim} thumbnailTime={30} />);
    await screen.findByTestId("player");
    expect(lastPlayerProps()).toMatchObject({ src: "http://127.0.0.1:4000/stream/pb-9.mp4?token=t&asset_start_time=20&asset_end_time=50", poster: "/poster.jpg?time=30" });
    rerender(<VideoPlayer asset={readyAsset} trim={trim} />);
    await waitFor(() => expect(lastPlayerProps()).toMatchObject({ src: "/lesson.mp4#t=20,50" }));
    rerender(<VideoPlayer asset={readyAsset} trim={{ startTime: 0, endTime: 60 }} />);
    await waitFor(() => expect(lastPlayerProps()).toMatchObject({ src: "/lesson.mp4" }));
  });

  it("LessonPlayer's chapter list and transcript follow player.trim on the clip's timeline", async () => {
    const vtt = "WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nCut\n\n00:00:18.000 --> 00:00:22.000\nAcross the start\n\n00:00:30.000 --> 00:00:32.000\nInside\n\n00:00:55.000 --> 00:00:58.000\nAfter the end\n";
    const lesson: VideoAsset = {
      id: "asset-l",
      status: "ready",
      duration: 60,
      playback: { src: "http://127.0.0.1:4000/stream/pb-l.mp4" },
      captions: [{ id: "tr1", languageCode: "en", name: "English", closedCaptions: false, status: "ready", source: "uploaded", src: `data:text/vtt,${encodeURIComponent(vtt)}` }],
    };
    const chapters = [
      { startTime: 0, title: "Welcome" },
      { startTime: 10, title: "Intro" },
      { startTime: 35, title: "Setup" },
      { startTime: 52, title: "Outro" },
    ];
    render(<LessonPlayer lessonId="l-1" asset={lesson} chapters={chapters} resume={false} player={{ trim }} />, { wrapper: withProvider() });
    const list = await screen.findByRole("navigation", { name: "Chapters" });
    expect(within(list).getAllByRole("button").map((button) => button.textContent)).toEqual(["0:00Intro", "0:15Setup"]);
    const transcript = await screen.findByRole("region", { name: "Transcript" });
    await waitFor(() => expect(within(transcript).getAllByRole("button").map((button) => button.textContent)).toEqual(["0:00Across the start", "0:10Inside"]));
    expect(lastPlayerProps()).toMatchObject({ src: "http://127.0.0.1:4000/stream/pb-l.mp4?asset_start_time=20&asset_end_time=50" });
  });
});
