#!/usr/bin/env node
/**
 * `lesson-video-kit-emulator`: runs the local Mux emulator in the foreground and prints the environment
 * variables that point `@mux/mux-node` (and the server adapter) at it, its signing key included.
 * `--admin-origin` and `--allowed-host` widen what may reach it (browser origins for the admin routes, extra
 * Host names); nothing else can.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCaptionText } from "../server/caption-format.js";
import { readAdminOrigins } from "./admin.js";
import { hostName } from "./allowed-hosts.js";
import { startMuxEmulator } from "./server.js";

const USAGE = `Usage: lesson-video-kit-emulator [options]

  --port <n>                port to listen on (default 4010; 0 picks a free port)
  --host <addr>             interface to bind (default 127.0.0.1)
  --data-dir <dir>          keep metadata and files here across restarts (default: temp dir, removed on exit)
  --token-id <id>           API token id (default emulator-token-id)
  --token-secret <secret>   API token secret (default emulator-token-secret)
  --webhook-url <url>       send signed webhooks here (repeatable)
  --webhook-secret <s>      webhook signing secret (default emulator-webhook-secret)
  --processing-delay <ms>   time from upload complete to ready (default 1000)
  --admin-origin <origin>   browser origin allowed to call /_emulator/* (repeatable; default none, no wildcard)
  --allowed-host <name>     Host name answered besides localhost, 127.0.0.1, [::1] and --host (repeatable)
  --generated-captions <f>  WebVTT/SRT file that generated captions get (speech-to-text is not emulated)
  --track-source-host <n>   host text-track URLs may point at besides loopback (repeatable)
  --help                    show this help
`;

function fail(message: string): never {
  process.stderr.write(`lesson-video-kit-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function readInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        "token-id": { type: "string" },
        "token-secret": { type: "string" },
        "webhook-url": { type: "string", multiple: true },
        "webhook-secret": { type: "string" },
        "processing-delay": { type: "string" },
        "admin-origin": { type: "string", multiple: true },
        "allowed-host": { type: "string", multiple: true },
        "generated-captions": { type: "string" },
        "track-source-host": { type: "string", multiple: true },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  for (const url of values["webhook-url"] ?? []) if (!URL.canParse(url)) fail(`--webhook-url "${url}" is not an absolute URL`);

  const adminOrigins = values["admin-origin"] ?? [];
  for (const origin of adminOrigins) {
    try {
      readAdminOrigins([origin]);
    } catch {
      fail(`--admin-origin "${origin}" is not an origin like http://localhost:5173 (no wildcard, no path)`);
    }
  }
  const allowedHosts = values["allowed-host"] ?? [];
  for (const name of allowedHosts) if (hostName(name) === undefined) fail(`--allowed-host "${name}" is not a host name`);

  const trackSourceHosts = values["track-source-host"] ?? [];
  for (const name of trackSourceHosts) if (hostName(name) === undefined) fail(`--track-source-host "${name}" is not a host name`);
  let generatedCaptions: string | undefined;
  if (values["generated-captions"] !== undefined) {
    try {
      generatedCaptions = readFileSync(values["generated-captions"], "utf8");
    } catch (error) {
      fail(`--generated-captions: cannot read ${values["generated-captions"]} (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = parseCaptionText(generatedCaptions);
    if (!parsed.ok) fail(`--generated-captions: ${parsed.message}`);
  }

  const emulator = await startMuxEmulator({
    port: readInt(values.port, "--port", 4010),
    host: values.host ?? "127.0.0.1",
    dataDir: values["data-dir"],
    tokenId: values["token-id"],
    tokenSecret: values["token-secret"],
    webhookUrls: values["webhook-url"] ?? [],
    webhookSecret: values["webhook-secret"],
    processingDelayMs: readInt(values["processing-delay"], "--processing-delay", 1000),
    adminOrigins,
    allowedHosts,
    trackSourceHosts,
    generatedCaptions,
  });

  // Before the lines below: whoever reads them may send a signal straight away.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nReceived ${signal}, stopping the emulator…\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`lesson-video-kit-emulator: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  process.stdout.write(
    [
      `Local Mux emulator listening on ${emulator.url}`,
      `Data: ${emulator.dataDir}${values["data-dir"] ? "" : " (temporary, removed on exit)"}`,
      "",
      "Point @mux/mux-node or the server routes at it with (e.g. in .env.local):",
      `  MUX_TOKEN_ID=${emulator.tokenId}`,
      `  MUX_TOKEN_SECRET=${emulator.tokenSecret}`,
      `  MUX_BASE_URL=${emulator.url}`,
      `  MUX_WEBHOOK_SECRET=${emulator.webhookSecret}`,
      `  MUX_SIGNING_KEY_ID=${emulator.signingKey.id}`,
      `  MUX_SIGNING_KEY_PRIVATE=${emulator.signingKey.privateKey}`,
      "",
      values["data-dir"]
        ? "The signing key signs tokens for signed playback ids; it stays in the data dir, so restarts print the same one."
        : "The signing key signs tokens for signed playback ids; without --data-dir it is a new one at every start.",
      values["webhook-url"]?.length ? `Webhooks go to: ${values["webhook-url"].join(", ")}` : "No webhook URL configured (--webhook-url).",
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    process.stderr.write("lesson-video-kit-emulator: the port is already in use; pass --port <other> (or 0 for any free port).\n");
  } else {
    process.stderr.write(`lesson-video-kit-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
