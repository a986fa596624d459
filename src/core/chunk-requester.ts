/** One byte request of the chunked sender. */
export interface ChunkRequest {
  url: string;
  headers: Record<string, string>;
  /** The chunk, or `null` for an offset query. */
  body: Blob | null;
  signal: AbortSignal;
  /** Bytes of `body` sent so far, when the runtime reports upload progress. */
  onUploadProgress?: ((loaded: number) => void) | undefined;
}

export interface ChunkResponse {
  status: number;
  header(name: string): string | null;
}

/**
 * Sends one PUT. A failed connection rejects with a `TypeError` (like `fetch`), an abort with an
 * `AbortError`; any HTTP status resolves.
 */
export type ChunkRequester = (request: ChunkRequest) => Promise<ChunkResponse>;

/** PUT with `fetch`: works everywhere, but reports progress only per chunk. */
export function createFetchRequester(fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)): ChunkRequester {
  return async ({ url, headers, body, signal }) => {
    const response = await fetchImpl(url, { method: "PUT", headers, body, signal });
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, header: (name) => response.headers.get(name) };
  };
}

/** PUT with `XMLHttpRequest`, which reports upload progress within a chunk (fetch cannot). */
export function createXhrRequester(): ChunkRequester {
  return ({ url, headers, body, signal, onUploadProgress }) =>
    new Promise<ChunkResponse>((resolve, reject) => {
      const abortError = () => new DOMException("The upload request was aborted.", "AbortError");
      if (signal.aborted) {
        reject(abortError());
        return;
      }
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      xhr.open("PUT", url);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      if (onUploadProgress) xhr.upload.onprogress = (event) => onUploadProgress(event.loaded);
      xhr.onload = () => {
        signal.removeEventListener("abort", onAbort);
        resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name) });
      };
      xhr.onerror = () => {
        signal.removeEventListener("abort", onAbort);
        reject(new TypeError("The upload connection failed."));
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => {
        signal.removeEventListener("abort", onAbort);
        reject(abortError());
      };
      signal.addEventListener("abort", onAbort, { once: true });
      xhr.send(body);
    });
}

/** XHR in browsers (for progress within a chunk), `fetch` elsewhere. */
export function createDefaultRequester(): ChunkRequester {
  return typeof XMLHttpRequest === "function" ? createXhrRequester() : createFetchRequester();
}
