// The emulator bin's caption flags: --generated-captions gives generated tracks the supplied WebVTT (and refuses
// a file that is not captions before it listens), --track-source-host is checked like --allowed-host.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Mux from "@mux/mux-node";
import { build } from "esbuild";
import { sampleSrt, sampleVtt } from "../fixtures/captions-corpus.js";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { readBytes, runCli, uploadAndSettle, waitUntil, type CliRun } from "./emulator-helpers.js";

let workDir: string;
let cliPath: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "lvk-emulator-cli-captions-"));
  cliPath = join(workDir, "emulator-cli.mjs");
  await build({ entryPoints: [resolve(import.meta.dirname, "../../src/emulator/cli.ts")], bundle: true, platform: "node", format: "esm", outfile: cliPath, logLevel: "error" });
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

const run = (args: string[]): CliRun => runCli(cliPath, args);

describe("lesson-video-kit-emulator caption flags", () => {
  it("gives generated captions the file of --generated-captions, converted to WebVTT", async () => {
    const file = join(workDir, "generated.srt");
    writeFileSync(file, sampleSrt);
    const cli = run(["--port", "0", "--processing-delay", "10", "--generated-captions", file]);
    try {
      const baseUrl = (await cli.line(/^\s*MUX_BASE_URL=(\S+)\n/m))[1] ?? "";
      const mux = new Mux({ tokenId: "emulator-token-id", tokenSecret: "emulator-token-secret", baseURL: baseUrl, maxRetries: 0 });
      const fx = await ensureFixtures();
      const { asset } = await uploadAndSettle(mux, await readBytes(fx.mp4.path));
      const audio = asset.tracks?.find((t) => t.type === "audio")?.id ?? "";
      const [track] = await mux.video.assets.generateSubtitles(asset.id, audio, { generated_subtitles: [{ language_code: "en" }] });
      await waitUntil(
        async () => (await mux.video.assets.retrieve(asset.id)).tracks?.find((t) => t.id === track?.id)?.status,
        (status) => status === "ready",
      );
      const text = await fetch(`${baseUrl}/stream/${asset.playback_ids?.[0]?.id}/text/${track?.id}.vtt`);
      expect(await text.text()).toBe(sampleVtt);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exit;
    }
  });

  it("refuses a --generated-captions file that is not captions, and a bad --track-source-host, before listening", async () => {
    const file = join(workDir, "page.vtt");
    writeFileSync(file, "<html></html>");
    const bad = run(["--port", "0", "--generated-captions", file]);
    expect(await bad.exit).toBe(2);
    expect(bad.output()).toMatch(/--generated-captions: /);

    const host = run(["--port", "0", "--track-source-host", "http://x/y"]);
    expect(await host.exit).toBe(2);
    expect(host.output()).toMatch(/--track-source-host "http:\/\/x\/y" is not a host name/);
  });
});
