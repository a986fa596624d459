/**
 * The orphan clean-up on a timer (started by instrumentation.ts): assets the studio's uploads created that
 * no lesson refers to a day later (an upload whose lesson was never saved, a replaced video) are deleted,
 * and each deletion is logged. Against real Mux it only reports what it would delete, unless
 * STUDIO_ORPHAN_SWEEP=delete: the Mux environment may hold videos this studio's database does not know.
 *
 *   STUDIO_ORPHAN_SWEEP           delete | dry-run | off (default: delete on the emulator, dry-run on Mux)
 *   STUDIO_ORPHAN_SWEEP_EVERY_MS  time between runs, default 15 minutes (the first run is one interval after start)
 *   STUDIO_ORPHAN_GRACE_MS        how old an unreferenced asset must be, default 24 hours
 */
import { defaultOrphanGraceMs, deleteOrphanAssets, type OrphanCleanupReport } from "lesson-video-kit/server";
import { isAssetReferenced } from "./lessons";
import { muxSettings } from "./settings";
import { videoBackend } from "./video";

type SweepMode = "delete" | "dry-run" | "off";

interface SweepSettings {
  mode: SweepMode;
  everyMs: number;
  graceMs: number;
}

function positiveMs(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds, got "${raw}"`);
  return value;
}

function sweepSettings(): SweepSettings {
  const raw = process.env.STUDIO_ORPHAN_SWEEP;
  if (raw !== undefined && raw !== "" && raw !== "delete" && raw !== "dry-run" && raw !== "off") {
    throw new Error(`STUDIO_ORPHAN_SWEEP must be delete, dry-run or off, got "${raw}"`);
  }
  const mode: SweepMode = raw === "delete" || raw === "dry-run" || raw === "off" ? raw : muxSettings().mode === "emulator" ? "delete" : "dry-run";
  return {
    mode,
    everyMs: Math.max(1_000, positiveMs("STUDIO_ORPHAN_SWEEP_EVERY_MS", 15 * 60_000)),
    graceMs: positiveMs("STUDIO_ORPHAN_GRACE_MS", defaultOrphanGraceMs),
  };
}

/** "90 s", "15 min", "24 h". */
function duration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

function log(report: OrphanCleanupReport): void {
  const age = (createdAt: number) => `${duration(Date.now() - createdAt)} old`;
  for (const orphan of report.deleted) {
    console.info(
      `[orphan-sweep] deleted asset ${orphan.assetId} (upload ${orphan.uploadId ?? "?"}, lesson ${orphan.lessonId ?? "none"}, ${age(orphan.createdAt)})`,
    );
  }
  for (const { orphan, reason } of report.kept) {
    if (reason === "dry_run") console.info(`[orphan-sweep] would delete asset ${orphan.assetId} (dry run, ${age(orphan.createdAt)})`);
  }
  for (const { orphan, error } of report.failed) {
    console.error(`[orphan-sweep] could not delete asset ${orphan.assetId}:`, error);
  }
}

/** One run: finds and deletes (or, in a dry run, reports) orphan assets. */
export async function sweepOrphanAssets(settings: SweepSettings = sweepSettings()): Promise<OrphanCleanupReport> {
  const report = await deleteOrphanAssets({
    backend: videoBackend(),
    graceMs: settings.graceMs,
    isReferenced: isAssetReferenced,
    dryRun: settings.mode !== "delete",
  });
  log(report);
  return report;
}

const timerKey = Symbol.for("lesson-studio.orphan-sweep");
type GlobalWithSweep = typeof globalThis & { [timerKey]?: NodeJS.Timeout };

/** Starts the timer once per process; a run that fails is logged and the next one tries again. */
export function startOrphanSweep(): void {
  const holder = globalThis as GlobalWithSweep;
  if (holder[timerKey]) return;
  const settings = sweepSettings();
  if (settings.mode === "off") return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepOrphanAssets(settings)
      .catch((error: unknown) => console.error("[orphan-sweep] run failed:", error))
      .finally(() => {
        running = false;
      });
  }, settings.everyMs);
  // The sweep never keeps the server alive on its own.
  timer.unref();
  holder[timerKey] = timer;
  console.info(
    `[orphan-sweep] ${settings.mode === "delete" ? "deleting" : "reporting"} assets no lesson refers to after ${duration(settings.graceMs)}, every ${duration(settings.everyMs)}`,
  );
}
