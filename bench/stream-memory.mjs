// Measurement 7: peak memory of a growing source (a ReadableStream produced in 64 KiB pieces) uploaded through
// UploadController and the chunked sender, against the same bytes as a Blob, in the same run. Node (fetch
// requester) → createVideoRoutes → emulator, the stack in its own process so the server's memory is not counted.
// Memory is V8's used heap plus ArrayBuffer backing stores (`process.memoryUsage()` heapUsed + arrayBuffers),
// over a baseline taken after a full GC with the source made (the Blob holds its bytes before the upload
// starts, as a picked file does; the stream makes its pieces as it is read). Two figures: *held*, sampled every
// 10 ms right after a full GC (what the upload keeps alive: the bound the design promises), and *unforced*,
// sampled every 2 ms without forcing GC (what V8 lets garbage reach before it collects on its own).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { UploadController } from "../src/core/upload-controller.ts";
import { createHttpTransport } from "../src/transports/http.ts";
import { startStack } from "./lib/stack-client.mjs";

const KiB = 1024;
const MiB = 1024 * KiB;
const ftyp = [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31];
const alwaysOnline = { isOnline: () => true, subscribe: () => () => undefined };

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");
const used = () => {
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
};

/** The bytes of piece `index` (deterministic, so the Blob and the stream carry the same file). */
function piece(index, length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) bytes[i] = (index * 31 + i) & 0xff;
  if (index === 0) bytes.set(ftyp);
  return bytes;
}

function producedStream(size, pieceSize) {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const start = index * pieceSize;
      if (start >= size) return controller.close();
      controller.enqueue(piece(index++, Math.min(pieceSize, size - start)));
    },
  });
}

/** Uploads `source` until the emulator has every byte; resolves with the peak memory growth and the seconds it took. */
async function measure(makeSource, { transport, chunkSize }) {
  const source = makeSource();
  // V8 frees ArrayBuffer backing stores on a background sweeper: let the previous run's go before the baseline.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const baseline = used();
  let peak = baseline;
  let unforced = baseline;
  const sampler = setInterval(() => (unforced = Math.max(unforced, used())), 2);
  const heldSampler = setInterval(() => {
    gc();
    peak = Math.max(peak, used());
  }, 10);
  const started = performance.now();
  const controller = new UploadController({ transport, online: alwaysOnline, chunkSize });
  const sent = new Promise((resolve, reject) => {
    controller.subscribe(() => {
      const state = controller.getSnapshot();
      if (state.status === "processing") resolve();
      if (state.status === "error") reject(state.error);
    });
  });
  void controller.start(source);
  await sent;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(heldSampler);
  controller.dispose();
  return { peakBytes: peak - baseline, unforcedPeakBytes: unforced - baseline, baselineBytes: baseline, seconds };
}

export async function run({ size = 64 * MiB, pieceSize = 64 * KiB, chunkSize = 8 * MiB, runs = 3, log = () => {} } = {}) {
  const stack = await startStack({ processingDelayMs: 3_600_000 });
  const transport = createHttpTransport({ baseUrl: `${stack.origin}/api/video` });
  const samples = { stream: [], blob: [] };
  try {
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always meets a warmer process.
      for (const kind of i % 2 === 0 ? ["stream", "blob"] : ["blob", "stream"]) {
        const makeSource =
          kind === "stream"
            ? () => ({ stream: producedStream(size, pieceSize), name: "recording.mp4", type: "video/mp4" })
            : () => new File(Array.from({ length: Math.ceil(size / pieceSize) }, (_, k) => piece(k, Math.min(pieceSize, size - k * pieceSize))), "recording.mp4", { type: "video/mp4" });
        const result = await measure(makeSource, { transport, chunkSize });
        samples[kind].push(result);
        log(
          `stream-memory ${size / MiB} MiB ${kind} run ${i + 1}: held +${(result.peakBytes / MiB).toFixed(1)} MiB, ` +
            `unforced +${(result.unforcedPeakBytes / MiB).toFixed(1)} MiB, ${(size / 1e6 / result.seconds).toFixed(1)} MB/s`,
        );
      }
    }
  } finally {
    await stack.close();
  }
  const peak = (kind, field = "peakBytes") => Math.max(...samples[kind].map((s) => s[field]));
  return {
    size,
    pieceSize,
    chunkSize,
    runs,
    samples,
    peakBytes: { stream: peak("stream"), blob: peak("blob") },
    unforcedPeakBytes: { stream: peak("stream", "unforcedPeakBytes"), blob: peak("blob", "unforcedPeakBytes") },
    ratio: peak("stream") / peak("blob"),
  };
}
