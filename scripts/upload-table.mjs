#!/usr/bin/env node
// The upload lifecycle's states × actions table, computed from the reducer: each cell is the state an action
// leads to, or "—" where the reducer ignores it. docs/upload-engine.md carries it between the upload-table
// markers; `npm run docs:table` (after a build) rewrites it there, and test/unit/core/upload-table-docs.test.ts
// fails when the page and the reducer disagree. The sample states and actions are shared with the reducer's
// own table test (test/unit/core/upload-machine.test.ts).
import { readFileSync, writeFileSync } from "node:fs";

const file = { name: "lesson.mp4", size: 1000, type: "video/mp4" };
const error = (code, retryable = true) => ({ code, message: code, retryable });
const base = { progress: 40, bytesSent: 400, totalBytes: 1000, speed: 0, attempt: 1, file, uploadId: "u1" };
const failed = (phase, err = error("network")) => ({ upload: { ...base, status: "error", error: err }, failedPhase: phase });
const plain = (upload) => ({ upload, failedPhase: undefined });

/** One state per column: each status, paused by each reason, failed in each phase. */
export const uploadStates = {
  idle: plain({ progress: 0, bytesSent: 0, totalBytes: 0, speed: 0, attempt: 0, status: "idle" }),
  validating: plain({ ...base, progress: 0, bytesSent: 0, uploadId: undefined, status: "validating" }),
  requesting: plain({ ...base, progress: 0, bytesSent: 0, status: "requesting" }),
  uploading: plain({ ...base, status: "uploading" }),
  "uploading, total unknown": plain({ ...base, progress: 0, totalBytes: 600, totalUnknown: true, status: "uploading" }),
  "paused:user": plain({ ...base, status: "paused", pausedReason: "user" }),
  "paused:offline": plain({ ...base, status: "paused", pausedReason: "offline" }),
  "paused:disposed": plain({ ...base, status: "paused", pausedReason: "disposed" }),
  processing: plain({ ...base, progress: 100, bytesSent: 1000, status: "processing" }),
  complete: plain({ ...base, progress: 100, bytesSent: 1000, status: "complete", assetId: "a1", asset: { id: "a1", status: "ready" } }),
  "error in validating": failed("validating"),
  "error in requesting": failed("requesting"),
  "error in uploading": failed("uploading"),
  "error in uploading, URL expired": failed("uploading", error("upload_url_expired")),
  "error in processing": failed("processing"),
  "error, not retryable": failed("uploading", error("forbidden", false)),
};

/** One action per row, with each payload that changes the outcome. */
export const uploadActions = {
  started: { type: "started", file },
  restored: { type: "restored", uploadId: "u9", bytesSent: 300 },
  validated: { type: "validated" },
  created: { type: "created", uploadId: "u2" },
  sending: { type: "sending" },
  progress: { type: "progress", bytesSent: 500, speed: 100 },
  sourceEnded: { type: "sourceEnded", totalBytes: 1200 },
  senderRetried: { type: "senderRetried", reason: "network" },
  "paused by the user": { type: "paused", reason: "user" },
  "paused, offline": { type: "paused", reason: "offline" },
  resumed: { type: "resumed" },
  backOnline: { type: "backOnline" },
  sent: { type: "sent" },
  assetCreated: { type: "assetCreated", assetId: "a1" },
  assetChanged: { type: "assetChanged", asset: { id: "a1", status: "preparing" } },
  ready: { type: "ready", asset: { id: "a1", status: "ready" } },
  "failed in validating": { type: "failed", phase: "validating", error: error("network") },
  "failed in requesting": { type: "failed", phase: "requesting", error: error("network") },
  "failed in uploading": { type: "failed", phase: "uploading", error: error("network") },
  "failed in processing": { type: "failed", phase: "processing", error: error("processing_failed") },
  retried: { type: "retried" },
  cancelled: { type: "cancelled" },
  disposed: { type: "disposed" },
};

const label = (state) =>
  state === null ? "—" : state.upload.status === "paused" ? `paused (${state.upload.pausedReason})` : state.upload.status;

/** The table as Markdown: a row per state, a column per action. */
export function uploadTable(reduceUpload) {
  const names = Object.keys(uploadActions);
  const lines = [
    `| state | ${names.map((name) => `\`${name}\``).join(" | ")} |`,
    `|---|${names.map(() => "---").join("|")}|`,
  ];
  for (const [stateName, state] of Object.entries(uploadStates)) {
    const cells = names.map((name) => label(reduceUpload(state, uploadActions[name])));
    lines.push(`| ${stateName.replace(":", " (") + (stateName.includes(":") ? ")" : "")} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

export const tableStart = "<!-- upload-table:start (npm run docs:table writes this table from the reducer) -->";
export const tableEnd = "<!-- upload-table:end -->";

/** The table the page carries between the markers. */
export function documentedTable(page) {
  const start = page.indexOf(tableStart);
  const end = page.indexOf(tableEnd);
  if (start === -1 || end === -1) throw new Error("docs/upload-engine.md has no upload-table markers");
  return page.slice(start + tableStart.length, end).trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { reduceUpload } = await import("../dist/esm/core/upload-machine.js");
  const path = new URL("../docs/upload-engine.md", import.meta.url);
  const page = readFileSync(path, "utf8");
  const table = uploadTable(reduceUpload);
  const start = page.indexOf(tableStart);
  const end = page.indexOf(tableEnd);
  if (start === -1 || end === -1) throw new Error("docs/upload-engine.md has no upload-table markers");
  writeFileSync(path, `${page.slice(0, start + tableStart.length)}\n${table}\n${page.slice(end)}`);
  console.log("docs/upload-engine.md: upload table written");
}
