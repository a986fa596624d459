// The `lesson-video-kit-emulator` bin: prints where it listens and the env vars for @mux/mux-node (its own
// signing key included, which signs playback tokens it accepts), serves the API with the credentials it was
// given, keeps its data dir, lets only --admin-origin pages drive its admin routes, and stops cleanly on
// SIGTERM and SIGINT.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Mux from "@mux/mux-node";
import { build } from "esbuild";
import { createMuxBackend, withPlaybackTokens } from "../../src/server/index.js";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { putWhole, readBytes, runCli, waitUntil, type CliRun } from "./emulator-helpers.js";

let workDir: string;
let cliPath: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "lvk-emulator-cli-"));
  cliPath = join(workDir, "emulator-cli.mjs");
  // Bundle the TypeScript entry the way tsup does for dist/, so the test runs the real bin code with plain node.
  await build({ entryPoints: [resolve(import.meta.dirname, "../../src/emulator/cli.ts")], bundle: true, platform: "node", format: "esm", outfile: cliPath, logLevel: "error" });
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

const run = (args: string[]): CliRun => runCli(cliPath, args);

describe("lesson-video-kit-emulator", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`prints the env vars, answers the API with them, and exits 0 on ${signal}`, async () => {
      const dataDir = join(workDir, `data-${signal}`);
      const cli = run(["--port", "0", "--data-dir", dataDir, "--token-id", "cli-id", "--token-secret", "cli-secret", "--webhook-secret", "cli-hook", "--processing-delay", "10"]);
      try {
        const baseUrl = (await cli.line(/^\s*MUX_BASE_URL=(\S+)\n/m))[1] ?? "";
        expect(cli.output()).toMatch(/^\s*MUX_TOKEN_ID=cli-id$/m);
        expect(cli.output()).toMatch(/^\s*MUX_TOKEN_SECRET=cli-secret$/m);
        expect(cli.output()).toMatch(/^\s*MUX_WEBHOOK_SECRET=cli-hook$/m);
        expect(cli.output()).toContain(`listening on ${baseUrl}`);

        const mux = new Mux({ tokenId: "cli-id", tokenSecret: "cli-secret", baseURL: baseUrl, maxRetries: 0 });
        const upload = await mux.video.uploads.create({ cors_origin: "*" });
        expect(upload.url?.startsWith(`${baseUrl}/upload/`)).toBe(true);
        expect(existsSync(join(dataDir, "state.json"))).toBe(true);
      } finally {
        cli.child.kill(signal);
      }
      expect(await cli.exit).toBe(0);
      expect(cli.output()).toContain(`Received ${signal}`);
      expect(existsSync(join(dataDir, "state.json"))).toBe(true);
    });
  }

  it("prints a signing key whose tokens it accepts for a signed playback id, and the same key after a restart", async () => {
    const dataDir = join(workDir, "data-signed");
    const first = run(["--port", "0", "--data-dir", dataDir, "--processing-delay", "10"]);
    let printed: Record<string, string>;
    try {
      await first.line(/Press Ctrl\+C to stop/);
      // The lines as a user pastes them into .env.local.
      printed = Object.fromEntries([...first.output().matchAll(/^\s*(MUX_[A-Z_]+)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
      expect(Object.keys(printed)).toEqual(["MUX_TOKEN_ID", "MUX_TOKEN_SECRET", "MUX_BASE_URL", "MUX_WEBHOOK_SECRET", "MUX_SIGNING_KEY_ID", "MUX_SIGNING_KEY_PRIVATE"]);
      expect(printed.MUX_SIGNING_KEY_ID).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(Buffer.from(printed.MUX_SIGNING_KEY_PRIVATE ?? "", "base64").toString("utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);

      const backend = createMuxBackend({ env: printed, maxRetries: 0 });
      const upload = await backend.createUpload({ corsOrigin: "*", timeoutSeconds: 3600, playbackPolicy: "signed" });
      expect((await putWhole(upload.url, await readBytes((await ensureFixtures()).mp4.path))).status).toBe(200);
      const info = await waitUntil(() => backend.getUpload(upload.uploadId), (u) => u.assetId !== undefined);
      const asset = await waitUntil(() => backend.getAsset(info.assetId ?? ""), (a) => a.status === "ready");
      expect(asset.playback?.policy).toBe("signed");
      expect((await fetch(asset.playback?.src ?? "")).status).toBe(403);

      const signed = await backend.signPlayback(asset.playbackId ?? "", { expiresInSeconds: 600 });
      const playable = withPlaybackTokens(asset, signed.tokens);
      expect((await fetch(playable.playback?.src ?? "")).status).toBe(200);
      expect((await fetch(playable.playback?.poster ?? "")).status).toBe(200);
      expect((await fetch(playable.playback?.storyboardSrc ?? "")).status).toBe(200);
    } finally {
      first.child.kill("SIGTERM");
    }
    expect(await first.exit).toBe(0);

    const second = run(["--port", "0", "--data-dir", dataDir]);
    try {
      await second.line(/Press Ctrl\+C to stop/);
      expect(second.output()).toContain(`MUX_SIGNING_KEY_ID=${printed.MUX_SIGNING_KEY_ID}\n`);
      expect(second.output()).toContain(`MUX_SIGNING_KEY_PRIVATE=${printed.MUX_SIGNING_KEY_PRIVATE}\n`);
      expect(second.output()).toMatch(/restarts print the same one/);
    } finally {
      second.child.kill("SIGTERM");
    }
    expect(await second.exit).toBe(0);
  });

  it("explains a bad option and exits 2", async () => {
    const cli = run(["--port", "abc"]);
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toMatch(/--port must be a whole number/);
    expect(cli.output()).toMatch(/Usage: lesson-video-kit-emulator/);
    const unknown = run(["--colour", "blue"]);
    expect(await unknown.exit).toBe(2);
    const wildcard = run(["--admin-origin", "*"]);
    expect(await wildcard.exit).toBe(2);
    expect(wildcard.output()).toMatch(/--admin-origin "\*" is not an origin/);
    const url = run(["--allowed-host", "http://mux:4010/"]);
    expect(await url.exit).toBe(2);
    expect(url.output()).toMatch(/--allowed-host .* is not a host name/);
  });

  it("lets the --admin-origin page drive the admin routes, and no other page", async () => {
    const page = "http://localhost:5173";
    const cli = run(["--port", "0", "--admin-origin", page]);
    try {
      const baseUrl = (await cli.line(/^\s*MUX_BASE_URL=(\S+)\n/m))[1] ?? "";
      const post = (origin: string) =>
        fetch(`${baseUrl}/_emulator/faults`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: "{}" });
      const allowed = await post(page);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("access-control-allow-origin")).toBe(page);
      expect((await post("https://evil.example")).status).toBe(403);
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exit).toBe(0);
  });

  it("prints its options with --help", async () => {
    const cli = run(["--help"]);
    expect(await cli.exit).toBe(0);
    const options = ["--port", "--host", "--data-dir", "--token-id", "--token-secret", "--webhook-url", "--webhook-secret", "--processing-delay", "--admin-origin", "--allowed-host"];
    for (const option of options) {
      expect(cli.output()).toContain(option);
    }
  });
});
