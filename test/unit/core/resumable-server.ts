/** Test double of an upload URL with Google Cloud Storage resumable semantics, called as `fetch`. */

export const KiB = 1024;

/** Deterministic pseudo-random bytes, so a misplaced chunk changes the result. */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return bytes;
}

export interface SeenRequest {
  contentRange: string | null;
  bodySize: number;
}

/** What a fault does to one request: answer instead, keep half the chunk, or keep half and drop the connection. */
export type Fault = (request: SeenRequest, server: ResumableServer) => Response | "commit-half" | "drop-after-half" | undefined;

export class ResumableServer {
  bytes: Uint8Array;
  committed = 0;
  seen: SeenRequest[] = [];
  faults: Fault[] = [];
  exposeRange = true;

  constructor(readonly total: number) {
    this.bytes = new Uint8Array(total);
  }

  fetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");
    const body = init?.body ? new Uint8Array(await (init.body as Blob).arrayBuffer()) : new Uint8Array();
    const request: SeenRequest = { contentRange: headers.get("Content-Range"), bodySize: body.length };
    this.seen.push(request);
    const fault = this.faults.shift()?.(request, this);
    if (fault instanceof Response) return fault;
    const range = request.contentRange ?? "";
    const query = /^bytes \*\/(\d+)$/.exec(range);
    if (!query) {
      const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
      if (!match) return new Response(null, { status: 400 });
      const start = Number(match[1]);
      if (start > this.committed) return this.#incomplete();
      const keep = fault === "commit-half" || fault === "drop-after-half" ? Math.floor(body.length / 2) : body.length;
      this.bytes.set(body.subarray(0, keep), start);
      this.committed = Math.max(this.committed, start + keep);
      if (fault === "drop-after-half") throw new TypeError("connection reset");
    }
    return this.committed === this.total ? new Response(JSON.stringify({ ok: true }), { status: 200 }) : this.#incomplete();
  };

  holds(content: Uint8Array): boolean {
    return Buffer.from(this.bytes).equals(content);
  }

  #incomplete(): Response {
    const headers = new Headers();
    if (this.committed > 0 && this.exposeRange) headers.set("Range", `bytes=0-${this.committed - 1}`);
    return new Response(null, { status: 308, headers });
  }
}
