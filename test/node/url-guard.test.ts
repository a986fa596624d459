// The link check of `POST /assets` on its own: which addresses count as not public (in every spelling a URL or a
// resolver can give them), the allowlist's forms, and the probe: redirects checked hop by hop, HEAD refused,
// a server that does not answer. Real sockets on 127.0.0.1; no name but `localhost` and `.invalid` is resolved.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { addressKind, checkImportUrl, parseAllowedHosts, type UrlCheckOptions } from "../../src/server/url-guard.js";

const servers: Server[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}${req.headers.range ? ` ${req.headers.range}` : ""}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, requests };
}

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const options = (allowed: string[] = [], extra: Partial<UrlCheckOptions> = {}): UrlCheckOptions => ({
  allowedHosts: parseAllowedHosts(allowed),
  maxRedirects: 5,
  timeoutMs: 5_000,
  ...extra,
});

describe("addressKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link_local"],
    ["100.64.0.1", "shared"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fe80::1", "link_local"],
    ["febf::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:0:a00:1", "private"],
    ["::ffff:169.254.169.254", "link_local"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["2001:db8::1", "reserved"],
    ["not-an-address", "reserved"],
  ])("%s is %s", async (address, kind) => {
    expect(await addressKind(address)).toBe(kind);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1"])("%s is public", async (address) => {
    expect(await addressKind(address)).toBeUndefined();
  });
});

describe("checkImportUrl refuses without asking anything of the host", () => {
  it.each([
    ["file:///etc/passwd", "scheme"],
    ["ftp://example.com/lesson.mp4", "scheme"],
    ["javascript:alert(1)", "scheme"],
    ["http://user:pass@example.com/lesson.mp4", "credentials"],
    ["https://token@example.com/lesson.mp4", "credentials"],
    ["not a link", "malformed"],
    [`https://example.com/${"a".repeat(2100)}`, "malformed"],
    ["http://localhost:1/lesson.mp4", "private_address"],
    ["http://10.0.0.5/lesson.mp4", "private_address"],
    ["http://169.254.169.254/latest/meta-data/", "private_address"],
    ["http://[::1]:1/", "private_address"],
    ["http://[::ffff:127.0.0.1]:1/", "private_address"],
    ["http://[0:0:0:0:0:ffff:a9fe:a9fe]/", "private_address"],
    // IPv4 shorthands the URL parser turns into 127.0.0.1.
    ["http://127.1:1/", "private_address"],
    ["http://0x7f.0.0.1:1/", "private_address"],
    ["http://2130706433:1/", "private_address"],
    ["http://0177.0.0.1:1/", "private_address"],
    ["http://0/", "private_address"],
    ["http://nothing-here.invalid/lesson.mp4", "unresolvable"],
  ])("%s: %s", async (url, reason) => {
    const check = await checkImportUrl(url, options());
    expect(check).toMatchObject({ ok: false, reason });
  });
});

describe("checkImportUrl on allowlisted hosts", () => {
  it("passes an allowlisted loopback source with the size HEAD reports, and refuses the same host on another port", async () => {
    const source = await serve((_req, res) => res.writeHead(200, { "content-type": "video/mp4", "content-length": "1234" }).end());
    const url = `http://127.0.0.1:${source.port}/lesson.mp4`;
    expect(await checkImportUrl(url, options([`127.0.0.1:${source.port}`]))).toEqual({ ok: true, url, size: 1234, redirects: 0 });
    expect(await checkImportUrl(url, options([`http://127.0.0.1:${source.port}`]))).toMatchObject({ ok: true });
    expect(await checkImportUrl(url, options(["127.0.0.1"]))).toMatchObject({ ok: true });
    expect(await checkImportUrl(url, options([`127.0.0.1:${source.port + 1}`]))).toMatchObject({ ok: false, reason: "private_address" });
    expect(source.requests).toEqual(["HEAD /lesson.mp4", "HEAD /lesson.mp4", "HEAD /lesson.mp4"]);
  });

  it("follows redirects between allowed hosts and hands on the last URL", async () => {
    const source = await serve((req, res) => {
      if (req.url === "/a") res.writeHead(301, { location: "/b" }).end();
      else if (req.url === "/b") res.writeHead(307, { location: `http://127.0.0.1:${(req.socket.localPort ?? 0).toString()}/final.mp4?sig=1` }).end();
      else res.writeHead(200).end();
    });
    const check = await checkImportUrl(`http://127.0.0.1:${source.port}/a`, options([`127.0.0.1:${source.port}`]));
    expect(check).toEqual({ ok: true, url: `http://127.0.0.1:${source.port}/final.mp4?sig=1`, size: undefined, redirects: 2 });
  });

  it("refuses a redirect to a private address that is not allowed, and that address gets no request", async () => {
    const trap = await serve((_req, res) => res.writeHead(200).end());
    const source = await serve((req, res) => {
      const to = req.url === "/metadata" ? "http://169.254.169.254/latest/meta-data/" : req.url === "/file" ? "file:///etc/passwd" : `http://127.0.0.1:${trap.port}/secret`;
      res.writeHead(302, { location: to }).end();
    });
    const allowed = options([`127.0.0.1:${source.port}`]);
    for (const path of ["/private", "/metadata", "/file"]) {
      expect(await checkImportUrl(`http://127.0.0.1:${source.port}${path}`, allowed)).toMatchObject({ ok: false, reason: "redirect" });
    }
    expect(trap.requests).toEqual([]);
  });

  it("refuses more redirects than maxRedirects", async () => {
    const source = await serve((req, res) => res.writeHead(302, { location: `${req.url ?? "/"}x` }).end());
    const check = await checkImportUrl(`http://127.0.0.1:${source.port}/`, options([`127.0.0.1:${source.port}`], { maxRedirects: 3 }));
    expect(check).toMatchObject({ ok: false, reason: "redirect" });
    expect(source.requests).toHaveLength(4);
  });

  it("asks for one byte with GET when HEAD is refused, and reads the size from Content-Range", async () => {
    const source = await serve((req, res) => {
      if (req.method === "HEAD") res.writeHead(405).end();
      else res.writeHead(206, { "content-range": "bytes 0-0/5000", "content-length": "1" }).end("x");
    });
    const check = await checkImportUrl(`http://127.0.0.1:${source.port}/v.mp4`, options([`127.0.0.1:${source.port}`]));
    expect(check).toMatchObject({ ok: true, size: 5000 });
    expect(source.requests).toEqual(["HEAD /v.mp4", "GET /v.mp4 bytes=0-0"]);
  });

  it("passes a source that answers 404 on (the backend reports it), and refuses one that does not answer in time", async () => {
    const missing = await serve((_req, res) => res.writeHead(404).end());
    expect(await checkImportUrl(`http://127.0.0.1:${missing.port}/gone.mp4`, options([`127.0.0.1:${missing.port}`]))).toMatchObject({ ok: true });
    const silent = await serve(() => {});
    const started = Date.now();
    const check = await checkImportUrl(`http://127.0.0.1:${silent.port}/slow.mp4`, options([`127.0.0.1:${silent.port}`], { timeoutMs: 300 }));
    expect(check).toMatchObject({ ok: false, reason: "unreachable" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("parseAllowedHosts", () => {
  it("reads hosts, host:port, bracketed IPv6 and origins, and refuses paths and credentials", () => {
    expect(parseAllowedHosts(["127.0.0.1:4010", "[::1]:4010", "media.local", "http://127.0.0.1:4010", "https://Media.Example", "127.1:80"])).toEqual([
      { hostname: "127.0.0.1", port: "4010" },
      { hostname: "[::1]", port: "4010" },
      { hostname: "media.local", port: undefined },
      { hostname: "127.0.0.1", port: "4010" },
      { hostname: "media.example", port: "443" },
      { hostname: "127.0.0.1", port: "80" },
    ]);
    for (const bad of ["http://media.local/videos", "user:pw@media.local", "", "http://"]) expect(() => parseAllowedHosts([bad])).toThrow(/allowedHosts/);
  });
});
