/**
 * Runs once when the Next.js server starts: the orphan clean-up's timer (lib/orphan-sweep.ts), on the
 * Node.js runtime only (it needs the database and the video backend).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startOrphanSweep } = await import("./lib/orphan-sweep");
  startOrphanSweep();
}
