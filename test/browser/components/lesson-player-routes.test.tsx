// LessonPlayer against the kit's routes (createVideoRoutes with the progress option, in test/browser/setup/server.ts)
// through the HTTP transport, in Chromium with a real video: what a learner watched is saved on pause; a new page
// (the player mounted again with a new transport) offers "Resume at" the saved position; a lesson the learner may
// not watch keeps its progress in the page only.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { userEvent } from "vitest/browser";
import { LessonPlayer, VideoProvider, createHttpTransport, type VideoAsset } from "../../../src/index.js";
import "../../../src/components/styles.css";

const routesUrl = inject("videoRoutesUrl");
const testApi = inject("videoRoutesTestApi");
const EVENTUALLY = { timeout: 30_000, interval: 50 };

let videoUrl: string;
beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
  videoUrl = URL.createObjectURL(await (await fetch(`${testApi}/fixtures/mp4`)).blob());
});
afterEach(() => cleanup());

const asset = (): VideoAsset => ({ id: "asset-r", status: "ready", duration: 3, aspectRatio: "16:9", playback: { src: videoUrl, type: "video/mp4" } });

function renderPlayer(lessonId: string) {
  const transport = createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false });
  render(
    <VideoProvider transport={transport}>
      <LessonPlayer lessonId={lessonId} asset={asset()} title="Closures" player={{ muted: true }} />
    </VideoProvider>,
  );
  return transport;
}

type Player = HTMLElement & { currentTime: number; duration: number; play(): Promise<void>; pause(): void };

async function playerElement(): Promise<Player> {
  let element: Player | null = null;
  await waitFor(() => {
    element = document.querySelector<Player>("mux-player");
    expect(element?.duration).toBeGreaterThan(2.9);
  }, EVENTUALLY);
  return element!;
}

/** Plays until the time passes `seconds`, then pauses (the pause saves). */
async function watchUntil(player: Player, seconds: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const check = () => {
      if (player.currentTime < seconds) return;
      player.removeEventListener("timeupdate", check);
      player.pause();
      resolve();
    };
    player.addEventListener("timeupdate", check);
    void player.play();
  });
}

describe("LessonPlayer with the progress routes", { timeout: 120_000 }, () => {
  it("saves on pause; a new page offers Resume at the saved position", async () => {
    const lessonId = `lesson-${crypto.randomUUID()}`;
    const transport = renderPlayer(lessonId);
    await watchUntil(await playerElement(), 1.2);
    await waitFor(async () => expect((await transport.getProgress!(lessonId, {})).position).toBeGreaterThanOrEqual(1.2), EVENTUALLY);
    const saved = await transport.getProgress!(lessonId, {});
    expect(saved.watchedSeconds).toBeGreaterThan(1);
    expect(saved.completedAt).toBeNull();

    cleanup();
    renderPlayer(lessonId);
    const resume = await screen.findByRole("button", { name: `Resume at 0:0${Math.floor(saved.position)}` }, EVENTUALLY);
    const player = await playerElement();
    await waitFor(() => expect(resume).toBeEnabled());
    await userEvent.click(resume);
    await waitFor(() => expect(player.currentTime).toBeGreaterThanOrEqual(saved.position - 0.01), EVENTUALLY);
  });

  it("a lesson the learner may not watch: the routes answer 404 and no resume is offered", async () => {
    const transport = renderPlayer("someone-elses-lesson");
    await expect(transport.getProgress!("someone-elses-lesson", {})).rejects.toMatchObject({ code: "not_found" });
    await watchUntil(await playerElement(), 0.5);
    expect(screen.queryByRole("button", { name: /Resume at/ })).toBeNull();
    expect(document.querySelector(".lvk-lesson-player")).toHaveAttribute("data-state", "watching");
  });
});
