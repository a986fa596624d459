// "Import from a link" end to end: the routes (`POST /assets`) on node:http, the real `@mux/mux-node` client, the
// emulator downloading from real node:http source servers on 127.0.0.1. What a user sees: an allowlisted source
// becomes a ready asset that plays its exact bytes; refused links answer `url_refused` with their reason and reach
// neither the backend nor the quota; a 404 or a text file ends as an errored asset with a clear message.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isVideoError } from "../../src/core/errors.js";
import type { VideoAsset } from "../../src/core/types.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { waitUntil } from "./emulator-helpers.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";

const servers: Server[] = [];
let stack: Stack;
let mp4: Buffer;
let source: { port: number; requests: string[] };
let trap: { port: number; requests: string[] };

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, requests };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  const fixtures = await ensureFixtures();
  mp4 = readFileSync(fixtures.mp4.path);
  trap = await serve((_req, res) => res.writeHead(200, { "content-type": "video/mp4" }).end(mp4));
  source = await serve((req, res) => {
    if (req.url === "/lesson.mp4") res.writeHead(200, { "content-type": "video/mp4", "content-length": String(mp4.length) }).end(mp4);
    else if (req.url === "/notes.txt") res.writeHead(200, { "content-type": "text/plain" }).end("These are lesson notes, not a video.\n".repeat(50));
    else if (req.url === "/to-private") res.writeHead(302, { location: `http://127.0.0.1:${trap.port}/secret.mp4` }).end();
    else if (req.url === "/to-metadata") res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  stack = await startStack({ routes: { imports: { allowedHosts: [`127.0.0.1:${source.port}`] } } });
});

afterAll(async () => {
  await stack.close();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** `user` "" sends no session. */
const importRequest = (url: string, user = "alice", lessonId?: string): RequestInit & { user: string } => ({
  method: "POST",
  user,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(lessonId === undefined ? { url } : { url, lessonId }),
});

async function settled(assetId: string, user = "alice"): Promise<VideoAsset> {
  return waitUntil(
    async () => (await (await stack.call(`/assets/${assetId}`, { user })).json()) as VideoAsset,
    (asset) => asset.status !== "preparing",
  );
}

describe("importing from an allowlisted loopback source", () => {
  it("creates a preparing asset owned by the user that becomes ready and plays the source's exact bytes", async () => {
    const url = `http://127.0.0.1:${source.port}/lesson.mp4`;
    const response = await stack.call("/assets", importRequest(url, "alice", "lesson-alice"));
    expect(response.status).toBe(201);
    const created = (await response.json()) as VideoAsset;
    expect(created).toMatchObject({ status: "preparing", passthrough: "lesson-alice" });
    expect(created).not.toHaveProperty("ownerKey");

    const ready = await settled(created.id);
    expect(ready).toMatchObject({ id: created.id, status: "ready", passthrough: "lesson-alice" });
    const played = new Uint8Array(await (await fetch(ready.playback?.src ?? "")).arrayBuffer());
    expect(sha256(played)).toBe(sha256(mp4));
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "import_created", userId: "alice", assetId: created.id, host: "127.0.0.1", lessonId: "lesson-alice" }));
    // The emulator's asset says how it was made, as Mux's does.
    expect((await stack.mux.video.assets.retrieve(created.id)).ingest_type).toBe("on_demand_url");
  });

  it("answers someone else the same 404 as for an asset that does not exist", async () => {
    const response = await stack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/lesson.mp4`));
    const { id } = (await response.json()) as VideoAsset;
    const other = await stack.call(`/assets/${id}`, { user: "bob" });
    const none = await stack.call("/assets/doesnotexist", { user: "bob" });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual(await none.json());
    expect((await stack.call(`/assets/${id}`, { user: "alice" })).status).toBe(200);
  });

  it("works through the HTTP transport, which keeps a refusal's reason", async () => {
    const transport = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer alice-token" } });
    const signal = new AbortController().signal;
    const asset = await transport.importFromUrl?.({ url: `http://127.0.0.1:${source.port}/lesson.mp4` }, { signal });
    expect(asset).toMatchObject({ status: "preparing" });
    const refused = await transport.importFromUrl?.({ url: "file:///etc/passwd" }, { signal }).catch((error: unknown) => error);
    expect(isVideoError(refused) && refused.code).toBe("url_refused");
    expect(isVideoError(refused) && refused.details).toEqual({ reason: "scheme" });
    expect(isVideoError(refused) && refused.retryable).toBe(false);
  });
});

describe("sources the backend cannot use end as errored assets", () => {
  it("a source that answers 404", async () => {
    const response = await stack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/missing.mp4`));
    expect(response.status).toBe(201);
    const asset = await settled(((await response.json()) as VideoAsset).id);
    expect(asset.status).toBe("errored");
    expect(asset.errors).toEqual([{ type: "invalid_input", message: "Failed to download input file: the source answered 404 Not Found." }]);
  });

  it("a text file", async () => {
    const response = await stack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/notes.txt`));
    const asset = await settled(((await response.json()) as VideoAsset).id);
    expect(asset.status).toBe("errored");
    expect(asset.errors?.[0]?.message).toMatch(/^The input file is not a video/);
  });
});

describe("refused links", () => {
  it.each([
    ["file:///etc/passwd", "scheme"],
    ["ftp://127.0.0.1/lesson.mp4", "scheme"],
    ["credentials", "credentials"],
    ["localhost", "private_address"],
    ["other port", "private_address"],
    ["http://10.0.0.5/lesson.mp4", "private_address"],
    ["http://169.254.169.254/latest/meta-data/", "private_address"],
    ["http://[::1]/lesson.mp4", "private_address"],
    ["http://[::ffff:127.0.0.1]/lesson.mp4", "private_address"],
    ["http://0x7f.0.0.1/lesson.mp4", "private_address"],
    ["http://2130706433/lesson.mp4", "private_address"],
    ["redirect to a loopback port", "redirect"],
    ["redirect to the metadata address", "redirect"],
  ])("%s: 422 url_refused (%s), nothing reaches the backend", async (name, reason) => {
    const url =
      {
        credentials: `http://user:pass@127.0.0.1:${source.port}/lesson.mp4`,
        localhost: `http://localhost:${source.port}/lesson.mp4`,
        "other port": `http://127.0.0.1:${trap.port}/lesson.mp4`,
        "redirect to a loopback port": `http://127.0.0.1:${source.port}/to-private`,
        "redirect to the metadata address": `http://127.0.0.1:${source.port}/to-metadata`,
      }[name] ?? name;
    const before = stack.backendCalls.createAssetFromUrl ?? 0;
    const response = await stack.call("/assets", importRequest(url));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error).toMatchObject({ code: "url_refused", details: { reason } });
    expect(body.error.message).not.toBe("");
    expect(stack.backendCalls.createAssetFromUrl ?? 0).toBe(before);
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "url_refused", userId: "alice", reason }));
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "request_rejected", route: "importFromUrl", status: 422, code: "url_refused" }));
  });

  it("the private address a redirect points at never receives a request", () => {
    expect(trap.requests).toEqual([]);
  });

  it("401 without a session, 400 for a body without a url", async () => {
    expect((await stack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/lesson.mp4`, ""))).status).toBe(401);
    const bad = await stack.call("/assets", { method: "POST", user: "alice", headers: { "content-type": "application/json" }, body: JSON.stringify({ link: "x" }) });
    expect(bad.status).toBe(400);
  });

  it("403 for a lesson the user may not add videos to", async () => {
    expect((await stack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/lesson.mp4`, "bob", "lesson-alice"))).status).toBe(403);
  });
});

describe("link imports and the quota", () => {
  it("refused links take nothing of it; concurrent imports and uploads by one user never pass it", async () => {
    const quotaStack = await startStack({ routes: { quota: { uploadsPerPeriod: 4 }, imports: { allowedHosts: [`127.0.0.1:${source.port}`] } } });
    try {
      for (const url of ["file:///etc/passwd", `http://127.0.0.1:${source.port}/to-private`, "http://10.0.0.1/x.mp4"]) {
        expect((await quotaStack.call("/assets", importRequest(url))).status).toBe(422);
      }
      const video = { name: "lesson.mp4", size: 1000, type: "video/mp4" };
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0 ? quotaStack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/lesson.mp4`)) : quotaStack.call("/uploads", uploadRequest(video)),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(4);
      expect(statuses.filter((status) => status === 429)).toHaveLength(16);
      expect((quotaStack.backendCalls.createAssetFromUrl ?? 0) + (quotaStack.backendCalls.createUpload ?? 0)).toBe(4);
      // Bob's quota is his own.
      expect((await quotaStack.call("/assets", importRequest(`http://127.0.0.1:${source.port}/lesson.mp4`, "bob"))).status).toBe(201);
    } finally {
      await quotaStack.close();
    }
  });
});

describe("without link import", () => {
  it("imports.enabled false answers 404 and asks nothing of the link", async () => {
    const off = await startStack({ routes: { imports: { enabled: false, allowedHosts: [`127.0.0.1:${source.port}`] } } });
    try {
      const seen = source.requests.length;
      const response = await off.call("/assets", importRequest(`http://127.0.0.1:${source.port}/lesson.mp4`));
      expect(response.status).toBe(404);
      expect(source.requests.length).toBe(seen);
    } finally {
      await off.close();
    }
  });
});
