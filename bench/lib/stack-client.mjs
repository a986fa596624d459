// Starts bench/lib/stack-server.mjs in a child process (bundled from src with esbuild) and talks to it.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { bundleForNode } from "./bundle.mjs";
import { benchDir } from "./paths.mjs";

/** Starts the stack; resolves with `{ origin, emulatorUrl, webhookSecret, counts(), reset(), memory(), pid, close() }`. */
export async function startStack(options = {}) {
  const script = await bundleForNode(join(benchDir, "lib/stack-server.mjs"));
  const child = spawn(process.execPath, ["--expose-gc", script, JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`stack server exited with ${code}`)));
    lines.once("line", (line) => resolve(JSON.parse(line)));
  });
  const get = async (path, init) => {
    const response = await fetch(`${info.origin}${path}`, init);
    return response.status === 204 ? null : response.json();
  };
  return {
    ...info,
    pid: child.pid,
    counts: () => get("/__bench/counts"),
    reset: () => get("/__bench/reset", { method: "POST" }),
    /** Server process memory after a full GC. */
    memory: () => get("/__bench/memory"),
    /** The server process's `process.cpuUsage()`. */
    cpu: () => get("/__bench/cpu"),
    close: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
