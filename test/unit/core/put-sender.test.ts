// createPutSender: the whole file in one request, progress within it, typed errors, a clean abort.
import type { ChunkRequest, ChunkRequester } from "../../../src/core/chunk-requester.js";
import { createPutSender } from "../../../src/core/put-sender.js";

const target = { uploadId: "u1", url: "https://bucket.test/presigned?sig=abc", headers: { "x-amz-acl": "private" } };
const file = new Blob([new Uint8Array(1000)], { type: "video/mp4" });

/** A request that reports progress in quarters and answers `status`. */
function requester(status: number, headers: Record<string, string> = {}): { request: ChunkRequester; seen: ChunkRequest[] } {
  const seen: ChunkRequest[] = [];
  const request: ChunkRequester = async (req) => {
    seen.push(req);
    for (const loaded of [250, 500, 750, 1000]) req.onUploadProgress?.(loaded);
    return { status, header: (name) => headers[name.toLowerCase()] ?? null };
  };
  return { request, seen };
}

describe("createPutSender", () => {
  it("PUTs the whole file with the target's headers and its type, and reports progress within the request", async () => {
    const { request, seen } = requester(200);
    const progress: number[] = [];
    await createPutSender({ request, headers: { "x-ms-blob-type": "BlockBlob" } })(file, target, { signal: new AbortController().signal, onProgress: (n) => progress.push(n) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: target.url, body: file, headers: { "x-amz-acl": "private", "x-ms-blob-type": "BlockBlob", "Content-Type": "video/mp4" } });
    expect(progress).toEqual([0, 250, 500, 750, 1000, 1000]);
  });

  it.each([
    [403, "forbidden", false],
    [410, "upload_url_expired", true],
    [503, "server", true],
  ])("turns a %i into a %s VideoError (retryable: %s)", async (status, code, retryable) => {
    const { request } = requester(status, { "retry-after": "7" });
    const sent = createPutSender({ request })(file, target, { signal: new AbortController().signal, onProgress() {} });
    await expect(sent).rejects.toMatchObject({ code, retryable, status });
  });

  it("rejects with aborted when its signal aborts, and with network when the connection fails", async () => {
    const controller = new AbortController();
    const hanging: ChunkRequester = (req) =>
      new Promise((_resolve, reject) => req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    const sent = createPutSender({ request: hanging })(file, target, { signal: controller.signal, onProgress() {} });
    controller.abort();
    await expect(sent).rejects.toMatchObject({ code: "aborted" });
    const broken: ChunkRequester = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(createPutSender({ request: broken })(file, target, { signal: new AbortController().signal, onProgress() {} })).rejects.toMatchObject({ code: "network", retryable: true });
  });
});
