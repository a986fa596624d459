// Real Chromium: a generated H.264 MP4 and VP9 WebM go through @mux/upchunk (chunked PUTs with Content-Range,
// CORS preflight) to the emulator's upload URL; the stored bytes equal the file and <MuxPlayer src> loads it.
// Fault knobs go through the test backend (POST /faults): the emulator's admin routes refuse this page's origin.
import { createUpload } from "@mux/upchunk";
import MuxPlayer from "@mux/mux-player-react";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { inject } from "vitest";
import { type AssetView, settledAsset } from "./support/emulator-asset.js";

interface FixtureFacts {
  name: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
  duration?: number;
}


const backend = inject("emulatorBackend");
const facts = JSON.parse(inject("emulatorFixtures")) as Record<string, FixtureFacts>;

async function fixtureFile(key: string): Promise<File> {
  const fact = facts[key];
  if (!fact) throw new Error(`no fixture ${key}`);
  const blob = await (await fetch(`${backend}/fixtures/${key}`)).blob();
  return new File([blob], fact.name, { type: fact.type });
}

async function createDirectUpload(body: { policy?: string; corsOrigin?: string } = {}): Promise<{ uploadId: string; url: string }> {
  const response = await fetch(`${backend}/uploads`, { method: "POST", body: JSON.stringify(body) });
  return (await response.json()) as { uploadId: string; url: string };
}

function sendWithUpChunk(url: string, file: File, attempts = 1): Promise<{ chunks: number; failures: number }> {
  const upload = createUpload({ endpoint: url, file, chunkSize: 256, attempts, delayBeforeAttempt: 0.05 });
  let chunks = 0;
  let failures = 0;
  return new Promise((resolve, reject) => {
    upload.on("chunkSuccess", () => (chunks += 1));
    upload.on("attemptFailure", () => (failures += 1));
    upload.on("success", () => resolve({ chunks, failures }));
    upload.on("error", (event) => reject(new Error(String((event.detail as { message?: string }).message))));
  });
}

const waitForAsset = (uploadId: string) => settledAsset(backend, uploadId);

let root: Root | undefined;
let host: HTMLDivElement | undefined;

afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = undefined;
});

function playUntilMetadata(src: string, poster?: string): Promise<number> {
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("loadedmetadata never fired")), 30_000);
    act(() => {
      root?.render(
        <MuxPlayer
          src={src}
          {...(poster === undefined ? {} : { poster })}
          disableTracking
          muted
          streamType="on-demand"
          onLoadedMetadata={(event) => {
            clearTimeout(timer);
            resolve((event.target as HTMLMediaElement).duration);
          }}
          onError={() => {
            clearTimeout(timer);
            reject(new Error("MuxPlayer reported a media error"));
          }}
        />,
      );
    });
  });
}

describe("uploading through @mux/upchunk to the emulator", () => {
  for (const key of ["mp4", "webm"] as const) {
    it(`stores the ${key.toUpperCase()} byte for byte and MuxPlayer loads its metadata`, async () => {
      const file = await fixtureFile(key);
      const { uploadId, url } = await createDirectUpload();
      const { chunks } = await sendWithUpChunk(url, file);
      expect(chunks).toBe(Math.ceil(file.size / (256 * 1024)));
      // The MP4 spans several chunks, so the 308 + Range answers between them are exercised.
      if (key === "mp4") expect(chunks).toBeGreaterThan(1);

      const asset = await waitForAsset(uploadId);
      expect(asset.status).toBe("ready");
      expect(asset.src).toBeTruthy();
      const fact = facts[key];
      if (fact?.width && fact.height) {
        const [w, h] = (asset.aspectRatio ?? "0:0").split(":").map(Number);
        expect((w ?? 0) / (h ?? 1)).toBeCloseTo(fact.width / fact.height, 5);
      }

      const stored = new Uint8Array(await (await fetch(asset.src ?? "")).arrayBuffer());
      expect(stored.length).toBe(file.size);
      expect(stored).toEqual(new Uint8Array(await file.arrayBuffer()));

      const duration = await playUntilMetadata(asset.src ?? "", asset.poster);
      expect(duration).toBeGreaterThan((fact?.duration ?? 0) - 0.3);
      expect(duration).toBeLessThan((fact?.duration ?? 0) + 0.3);
    });
  }

  it("survives an injected 503 on the second chunk: upchunk retries and the bytes still match", async () => {
    const file = await fixtureFile("mp4");
    const { uploadId, url } = await createDirectUpload();
    // The emulator's admin routes refuse this page's origin: the knob goes through the test backend.
    const setFaults = (knobs: object) => fetch(`${backend}/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(knobs) });
    const knob = await setFaults({ failChunk: { n: 2, status: 503, uploadId } });
    expect(knob.status).toBe(200);
    try {
      const { failures } = await sendWithUpChunk(url, file, 3);
      expect(failures).toBe(1);
    } finally {
      await setFaults({});
    }
    const asset = await waitForAsset(uploadId);
    expect(asset.status).toBe("ready");
    const stored = new Uint8Array(await (await fetch(asset.src ?? "")).arrayBuffer());
    expect(stored).toEqual(new Uint8Array(await file.arrayBuffer()));
  });

  it("is blocked by CORS when the upload was created for another origin", async () => {
    const file = await fixtureFile("webm");
    const { uploadId, url } = await createDirectUpload({ corsOrigin: "https://somewhere-else.example" });
    await expect(sendWithUpChunk(url, file)).rejects.toThrow();
    const view = (await (await fetch(`${backend}/uploads/${uploadId}/asset`)).json()) as AssetView;
    expect(view.status).toBe("waiting");
  });

  it("ends a text file sent as a video errored with a readable message", async () => {
    const file = await fixtureFile("fakeMp4");
    const { uploadId, url } = await createDirectUpload();
    await sendWithUpChunk(url, file);
    const asset = await waitForAsset(uploadId);
    expect(asset.status).toBe("errored");
    expect(asset.errors?.messages[0]).toMatch(/not a video/i);
  });
});
