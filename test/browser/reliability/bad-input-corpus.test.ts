// The bad-input corpus (test/fixtures/corpus.ts) through the real upload path in Chromium: UploadController over
// the HTTP transport to createVideoRoutes and the emulator. Each file gets a specific message before any upload
// request, or an `errored` asset with a readable message, or (odd names, audio) a normal upload; none crashes the
// controller or leaves a stray upload or asset behind.
import { inject } from "vitest";
import { defaultErrorMessages } from "../../../src/core/errors.js";
import { makeCorpus, type CorpusEntry } from "../../fixtures/corpus.js";
import { fixtureBytes, listAssets, listUploads, makeController, newAssets, parseStack, playedSha256, sha256, type EmulatorAsset } from "./stack.js";

const stack = parseStack(inject("reliabilityCorpusStack"));

let corpus: CorpusEntry[] = [];
const entries = ["empty", "html-as-mp4", "png-as-mov", "zip-as-webm", "text-as-mp4", "header-only-mp4", "truncated-mp4", "tail-cut-mp4", "audio-only", "unicode-name", "long-name"];

beforeAll(async () => {
  corpus = makeCorpus({ mp4: await fixtureBytes(stack, "mp4"), audio: await fixtureBytes(stack, "audio") });
  expect(corpus.map((e) => e.key)).toEqual(entries);
});

function fileOf(entry: CorpusEntry): File {
  return new File([entry.bytes as BlobPart], entry.name, { type: entry.type, lastModified: 1_700_000_000_000 });
}

describe("bad-input corpus in Chromium", () => {
  it.each(entries)("%s gets the outcome the corpus promises, and nothing stray is left", async (key) => {
    const entry = corpus.find((e) => e.key === key)!;
    const file = fileOf(entry);
    const assetsBefore: EmulatorAsset[] = await listAssets(stack);
    const uploadsBefore = (await listUploads(stack)).length;
    const { controller, settled } = makeController(stack);
    void controller.start(file);
    const state = await settled();
    const created = await newAssets(stack, assetsBefore);
    const uploadsAfter = (await listUploads(stack)).length;

    if (entry.expect.kind === "refused-before-upload") {
      expect(state.status).toBe("error");
      expect(state.error?.code).toBe(entry.expect.code);
      if (entry.expect.message) expect(state.error?.message).toMatch(entry.expect.message);
      else expect(state.error?.message).toBe(defaultErrorMessages[entry.expect.code]);
      expect(uploadsAfter).toBe(uploadsBefore);
      expect(created).toEqual([]);
    } else if (entry.expect.kind === "errored-asset") {
      expect(state.status).toBe("error");
      expect(state.error?.code).toBe("processing_failed");
      expect(created).toHaveLength(1);
      expect(created[0]!.status).toBe("errored");
      const reason = created[0]!.errors?.messages?.[0] ?? "";
      expect(reason).toMatch(/^The uploaded (MP4 )?file (could not be read|has no video or audio|is not a video)/);
      // The errored asset reaches the page with that reason, next to the generic processing message.
      expect(controller.getAsset()?.errors?.[0]?.message).toBe(reason);
      expect(state.error?.message).toBe(defaultErrorMessages.processing_failed);
      expect(uploadsAfter).toBe(uploadsBefore + 1);
    } else {
      expect(state.status).toBe("complete");
      expect(created).toHaveLength(1);
      expect(created[0]!.upload_id).toBe(state.uploadId);
      expect(await playedSha256(stack, created[0]!)).toBe(await sha256(file));
    }
  });
});

/** A file that shrinks on disk after it was picked: from byte `from` on, every read returns less than asked. */
class ShrinkingFile extends File {
  constructor(parts: BlobPart[], name: string, private readonly from: number) {
    super(parts, name, { type: "video/mp4", lastModified: 1_700_000_000_000 });
  }
  override slice(start = 0, end = this.size, contentType?: string): Blob {
    const whole = super.slice(start, end, contentType);
    return start >= this.from ? whole.slice(0, Math.max(0, whole.size - 1000)) : whole;
  }
}

describe("a file whose size changes while it uploads", () => {
  // Simulated by a File whose slices come back 1000 bytes short from the second chunk on. The sender notices
  // before sending (Chromium itself fails such a PUT at the network level with ERR_UPLOAD_FILE_CHANGED, and the
  // sender then finds the bytes unreadable): either way the user is told to pick the file again.
  it("stops with file_changed, not retried, and leaves no asset", async () => {
    const mp4 = await fixtureBytes(stack, "mp4");
    const file = new ShrinkingFile([mp4 as BlobPart], "editing-in-progress.mp4", 256 * 1024);
    const assetsBefore = await listAssets(stack);
    const { controller, settled } = makeController(stack, { retry: { retries: 1, baseDelayMs: 50, maxDelayMs: 100 } });
    void controller.start(file);
    const state = await settled();
    expect(state.status).toBe("error");
    expect(state.error?.code).toBe("file_changed");
    expect(state.error?.retryable).toBe(false);
    expect(await newAssets(stack, assetsBefore)).toEqual([]);
    const upload = (await listUploads(stack)).find((u) => u.id === state.uploadId);
    expect(upload?.asset_id).toBeUndefined();
  });
});
