// Real Chromium against the emulator through the kit's routes (the /media mount of test/browser/setup/server.ts:
// audio allowed, every asset's MP4 and M4A made): a creator uploads a video and a learner downloads its MP4 and M4A
// from the lesson page — real files; a creator uploads an audio file and it plays as an audio lesson; a creator saves
// a trim as a new, clipped video and the form's lesson moves onto it.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { inject } from "vitest";
import { userEvent } from "vitest/browser";
import { LessonForm, LessonPlayer, VideoManager, VideoPlayer, VideoProvider, VideoUploader, createHttpTransport, type LessonFormValue, type VideoAsset } from "../../../src/index.js";
import "../../../src/components/styles.css";
import { playUntil, type PlayableMedia as Media } from "../support/playback.js";

const routesUrl = inject("videoRoutesMediaUrl");
const testApi = inject("videoRoutesTestApi");
const EVENTUALLY = { timeout: 60_000, interval: 100 };

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
});
afterEach(() => cleanup());

const transport = () => createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false });

/** Uploads the fixture `key` through VideoUploader and resolves with the ready asset. */
async function upload(key: "mp4" | "audio", name: string, type: string, limits?: { audio: boolean }): Promise<VideoAsset> {
  const bytes = await (await fetch(`${testApi}/fixtures/${key}`)).blob();
  let ready: (asset: VideoAsset) => void = () => undefined;
  const uploaded = new Promise<VideoAsset>((resolve) => (ready = resolve));
  const { container, unmount } = render(
    <VideoProvider transport={transport()} {...(limits ? { limits } : {})}>
      <VideoUploader lessonId="lesson-media" onUploaded={(asset) => ready(asset)} />
    </VideoProvider>,
  );
  await userEvent.upload(container.querySelector<HTMLInputElement>("input[type=file]")!, new File([bytes], name, { type }));
  const asset = await uploaded;
  unmount();
  return asset;
}

describe("media lessons against the emulator", { timeout: 180_000 }, () => {
  it("a learner downloads the lesson's MP4 and its M4A where the server allows", async () => {
    const asset = await upload("mp4", "lesson.mp4", "video/mp4");
    expect(asset.status).toBe("ready");
    render(
      <VideoProvider transport={transport()}>
        <LessonPlayer lessonId="lesson-media" asset={asset} title="Lighting" downloads player={{ muted: true }} />
      </VideoProvider>,
    );
    // A learner sees no Downloads section while no file is ready (the section leaves the page and comes back when
    // one is): look for the links in the page, not in the first section shown.
    const video = await screen.findByRole("link", { name: /^Download the video \(360p, .+\)$/ }, EVENTUALLY);
    const audio = await screen.findByRole("link", { name: /^Download the audio \(.+\)$/ }, EVENTUALLY);
    const downloads = screen.getByRole("region", { name: "Downloads" });
    expect(downloads).toContainElement(video);
    expect(downloads).toContainElement(audio);
    expect(video).toHaveAttribute("download", "highest.mp4");
    const mp4 = await fetch(video.getAttribute("href")!);
    expect(mp4.status).toBe(200);
    expect(mp4.headers.get("content-type")).toBe("video/mp4");
    const mp4Bytes = new Uint8Array(await mp4.arrayBuffer());
    expect(new TextDecoder().decode(mp4Bytes.slice(4, 8))).toBe("ftyp");
    const m4a = await fetch(audio.getAttribute("href")!);
    expect(m4a.status).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(await m4a.arrayBuffer()).slice(4, 8))).toBe("ftyp");
  });

  it("a creator's VideoManager lists the renditions with their status only when asked to", async () => {
    const asset = await upload("mp4", "lesson.mp4", "video/mp4");
    const { unmount } = render(
      <VideoProvider transport={transport()}>
        <VideoManager defaultAsset={asset} videoTitle="Plain" captions={false} />
      </VideoProvider>,
    );
    // The player's code has loaded (the downloads would load with it): still no downloads without the prop.
    await waitFor(() => expect(document.querySelector("mux-player")).not.toBeNull(), EVENTUALLY);
    expect(screen.queryByRole("region", { name: "Downloads" })).toBeNull();
    unmount();

    render(
      <VideoProvider transport={transport()}>
        <VideoManager defaultAsset={asset} videoTitle="With files" captions={false} downloads />
      </VideoProvider>,
    );
    const downloads = await screen.findByRole("region", { name: "Downloads" }, EVENTUALLY);
    // Each file is listed while it is made (its status said in words) and becomes a link with its size when ready.
    const video = await within(downloads).findByRole("link", { name: /^Download the video \(360p, .+\)$/ }, EVENTUALLY);
    await within(downloads).findByRole("link", { name: /^Download the audio \(.+\)$/ }, EVENTUALLY);
    expect(video.closest("li")).toHaveAttribute("data-status", "ready");
    expect((await fetch(video.getAttribute("href")!)).status).toBe(200);
  });

  it("a trim saved as a new video replaces the lesson's video with a clip of the kept part, chapters moved onto it", async () => {
    const asset = await upload("mp4", "lesson.mp4", "video/mp4");
    let latest: LessonFormValue | undefined;
    render(
      <VideoProvider transport={transport()}>
        <LessonForm
          defaultValue={{ title: "Lighting", description: "", video: asset, chapters: [{ startTime: 0, title: "Intro" }, { startTime: 2, title: "Practice" }] }}
          onChange={(value) => (latest = value)}
          onSubmit={() => undefined}
        />
      </VideoProvider>,
    );
    const trimGroup = await screen.findByRole("group", { name: "Trim" }, EVENTUALLY);
    const saveAsClip = within(trimGroup).getByRole("button", { name: "Save as a new video" });
    // The whole video kept: nothing to cut yet.
    expect(saveAsClip).toBeDisabled();
    await userEvent.click(within(trimGroup).getByRole("textbox", { name: "Start time" }));
    await userEvent.keyboard("{Control>}a{/Control}1{Tab}");
    await userEvent.keyboard("{Control>}a{/Control}2.5{Tab}");
    await waitFor(() => expect(saveAsClip).toBeEnabled());
    await userEvent.click(saveAsClip);

    // The form's video becomes the clip: another asset, which processes and becomes ready 1.5 s long.
    await waitFor(() => expect(latest?.video?.id).toBeDefined(), EVENTUALLY);
    await waitFor(() => {
      expect(latest?.video?.id).not.toBe(asset.id);
      expect(latest?.video?.status).toBe("ready");
    }, EVENTUALLY);
    expect(latest?.video?.duration).toBeGreaterThan(1.4);
    expect(latest?.video?.duration).toBeLessThan(1.6);
    expect(latest?.trim).toBeUndefined();
    expect(latest?.chapters).toEqual([{ startTime: 0, title: "Intro" }, { startTime: 1, title: "Practice" }]);
    // The editor now trims the clip: all of it is kept.
    await waitFor(() => expect(screen.getByRole("group", { name: "Trim" })).toHaveAttribute("data-state", "full"), EVENTUALLY);
  });

  it("an audio file uploads, becomes an audio-only lesson and plays as audio", async () => {
    const asset = await upload("audio", "narration.m4a", "audio/mp4", { audio: true });
    expect(asset).toMatchObject({ status: "ready", audioOnly: true });
    render(<VideoPlayer asset={asset} title="Narration" muted />);
    const group = screen.getByRole("group", { name: "Narration" });
    expect(group).toHaveAttribute("data-kind", "audio");
    let media: Media | null = null;
    await waitFor(() => {
      media = group.querySelector<Media>("mux-player");
      expect(media?.duration).toBeGreaterThan(1.5);
    }, EVENTUALLY);
    await playUntil(media as unknown as Media, 0.3);
  });
});
