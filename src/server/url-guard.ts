/**
 * The check of a link before `POST /assets` hands it to the backend to download. Only `http:`/`https:`, no
 * user name or password, and every address the host resolves to must be public (unless the host is on the
 * allowlist); then the link's redirects are followed here, one request per hop to the address that was checked
 * (so a name that resolves again differently between check and connect, DNS rebinding, is not followed), each
 * hop's target checked the same way before it is asked anything. The backend gets the last checked URL.
 *
 * Node's `dns`, `net`, `http` and `https` load with the first check, not with this module: the server entry
 * stays loadable on edge runtimes, where link import answers 501.
 */
import type { LookupAddress } from "node:dns";
import type { IncomingMessage, RequestOptions } from "node:http";
import type { BlockList } from "node:net";
import type { UrlRefusalReason } from "../core/errors.js";

/** What kind of non-public address an address is; `undefined` from `addressKind` means public. */
export type AddressKind = "unspecified" | "loopback" | "private" | "link_local" | "shared" | "multicast" | "broadcast" | "reserved";

/** One allowlist entry: a host, with the one port it allows or any port. */
export interface AllowedHost {
  hostname: string;
  /** The port, or `undefined` for any port of the host. */
  port: string | undefined;
}

export interface UrlCheckOptions {
  /** Hosts exempt from the address check (`parseAllowedHosts`). */
  allowedHosts: readonly AllowedHost[];
  /** Redirects followed before the link is refused. */
  maxRedirects: number;
  /** Longest the whole check (resolving and probing every hop) may take, ms. */
  timeoutMs: number;
}

/** The outcome of `checkImportUrl`: the URL to hand the backend, or why not (`detail` is for logs, not users). */
export type UrlCheck =
  | { ok: true; url: string; /** Bytes the source says it has, when it says. */ size: number | undefined; redirects: number }
  | { ok: false; reason: UrlRefusalReason; host: string | undefined; detail: string };

const maxUrlLength = 2048;

/** Ranges by kind; the first kind that matches names the address. */
const ipv4Ranges: ReadonlyArray<[AddressKind, string, number]> = [
  ["unspecified", "0.0.0.0", 8],
  ["loopback", "127.0.0.0", 8],
  ["private", "10.0.0.0", 8],
  ["private", "172.16.0.0", 12],
  ["private", "192.168.0.0", 16],
  ["link_local", "169.254.0.0", 16],
  ["shared", "100.64.0.0", 10],
  ["multicast", "224.0.0.0", 4],
  ["broadcast", "255.255.255.255", 32],
  // IETF protocol assignments, documentation, benchmarking, and the reserved class E.
  ["reserved", "192.0.0.0", 24],
  ["reserved", "192.0.2.0", 24],
  ["reserved", "198.18.0.0", 15],
  ["reserved", "198.51.100.0", 24],
  ["reserved", "203.0.113.0", 24],
  ["reserved", "240.0.0.0", 4],
];

const ipv6Ranges: ReadonlyArray<[AddressKind, string, number]> = [
  ["unspecified", "::", 128],
  ["loopback", "::1", 128],
  ["private", "fc00::", 7],
  ["link_local", "fe80::", 10],
  ["multicast", "ff00::", 8],
  // IPv4-compatible (deprecated), discard-only, local-use NAT64, documentation, and the old site-local.
  ["reserved", "::", 96],
  ["reserved", "100::", 64],
  ["reserved", "64:ff9b:1::", 48],
  ["reserved", "2001:db8::", 32],
  ["reserved", "3fff::", 20],
  ["reserved", "fec0::", 10],
];

interface NodeNet {
  lookup: (hostname: string, options: { all: true; verbatim: true }) => Promise<LookupAddress[]>;
  isIP: (input: string) => number;
  blocks: Array<[AddressKind, BlockList]>;
  request: (url: URL, options: RequestOptions) => Promise<IncomingMessage>;
}

let nodeNet: Promise<NodeNet> | undefined;

/**
 * `import()` of a Node built-in by a name bundlers do not follow: an edge bundle cannot resolve `node:` modules,
 * and this one is only needed when a link is checked.
 */
const nodeBuiltin = <T>(name: string): Promise<T> => import(/* webpackIgnore: true */ /* @vite-ignore */ name) as Promise<T>;

/** Node's networking modules, loaded once (an immutable set of functions, shared by every routes instance). */
function loadNodeNet(): Promise<NodeNet> {
  nodeNet ??= (async () => {
    const [dns, net, http, https] = await Promise.all([
      nodeBuiltin<typeof import("node:dns/promises")>("node:dns/promises"),
      nodeBuiltin<typeof import("node:net")>("node:net"),
      nodeBuiltin<typeof import("node:http")>("node:http"),
      nodeBuiltin<typeof import("node:https")>("node:https"),
    ]);
    const blocks = new Map<AddressKind, BlockList>();
    const add = (kind: AddressKind, address: string, prefix: number, family: "ipv4" | "ipv6") => {
      let list = blocks.get(kind);
      if (!list) blocks.set(kind, (list = new net.BlockList()));
      list.addSubnet(address, prefix, family);
    };
    for (const [kind, address, prefix] of ipv4Ranges) add(kind, address, prefix, "ipv4");
    for (const [kind, address, prefix] of ipv6Ranges) add(kind, address, prefix, "ipv6");
    return {
      lookup: (hostname, options) => dns.lookup(hostname, options),
      isIP: net.isIP,
      blocks: [...blocks],
      request: (url, options) =>
        new Promise<IncomingMessage>((resolve, reject) => {
          const send = url.protocol === "https:" ? https.request : http.request;
          const req = send(url, options, resolve);
          req.on("error", reject);
          req.end();
        }),
    };
  })();
  // A failed load (an edge runtime) is tried again by the next request rather than remembered.
  nodeNet.catch(() => (nodeNet = undefined));
  return nodeNet;
}

/** The sixteen-bit groups of an IPv6 address (a trailing dotted IPv4 part allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    if (Math.max(a, b, c, d) > 255) return undefined;
    tail.push((a << 8) | b, (c << 8) | d);
    const before = dotted[1] ?? "";
    text = before.endsWith("::") ? before : before.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? Number.parseInt(group, 16) : Number.NaN)));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const groups = [...head, ...Array<number>(8 - known).fill(0), ...rest, ...tail];
  return groups.some((group) => Number.isNaN(group)) ? undefined : groups;
}

/** The IPv4 address an IPv6 address carries (mapped, translated, NAT64 or 6to4), if it carries one. */
function embeddedIpv4(groups: number[]): string | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const zeroTo = (end: number) => groups.slice(0, end).every((group) => group === 0);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated)
  if (zeroTo(5) && g5 === 0xffff) return v4(g6, g7);
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return v4(g6, g7);
  // 64:ff9b::a.b.c.d (the well-known NAT64 prefix)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4(g6, g7);
  // 2002:AABB:CCDD::/48 (6to4)
  if (g0 === 0x2002) return v4(g1, g2);
  return undefined;
}

/**
 * The kind of a non-public IP address, or `undefined` for a public one. IPv6 forms that carry an IPv4 address
 * (mapped `::ffff:127.0.0.1`, NAT64 `64:ff9b::`, 6to4 `2002::`) are judged by that address; something that is
 * not an IP address at all is `reserved` (refused).
 */
export async function addressKind(address: string): Promise<AddressKind | undefined> {
  const net = await loadNodeNet();
  return kindOf(net, address);
}

function kindOf(net: NodeNet, raw: string): AddressKind | undefined {
  const address = raw.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(address);
  if (family === 4) return net.blocks.find(([, list]) => list.check(address, "ipv4"))?.[0];
  if (family !== 6) return "reserved";
  const groups = ipv6Groups(address);
  if (!groups) return "reserved";
  const inner = embeddedIpv4(groups);
  if (inner !== undefined) return kindOf(net, inner);
  return net.blocks.find(([, list]) => list.check(address, "ipv6"))?.[0];
}

/** The port a URL connects to. */
const portOf = (url: URL): string => url.port || (url.protocol === "https:" ? "443" : "80");

/**
 * Reads `imports.allowedHosts`: `host`, `host:port` (`127.0.0.1:4010`, `[::1]:4010`, `media.local`) or an origin
 * (`http://127.0.0.1:4010`). Names and addresses are normalised as URLs normalise them. Throws for an entry that is
 * none of these.
 */
export function parseAllowedHosts(entries: readonly string[]): AllowedHost[] {
  return entries.map((entry) => {
    const trimmed = entry.trim();
    const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
    const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
    if (!url || url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.hostname === "") {
      throw new Error(`imports.allowedHosts: "${entry}" is not a host, host:port or origin.`);
    }
    const explicitPort = /:(\d{1,5})\/?$/.exec(trimmed)?.[1];
    const port = /^https?:\/\//i.test(trimmed) ? portOf(url) : explicitPort === undefined ? undefined : String(Number(explicitPort));
    return { hostname: url.hostname, port };
  });
}

const isAllowed = (url: URL, allowed: readonly AllowedHost[]): boolean =>
  allowed.some((entry) => entry.hostname === url.hostname && (entry.port === undefined || entry.port === portOf(url)));

const refuse = (reason: UrlRefusalReason, host: string | undefined, detail: string): UrlCheck => ({ ok: false, reason, host, detail });

/** Scheme and credentials: what can be told from the URL alone. */
function checkShape(url: URL): { reason: UrlRefusalReason; detail: string } | undefined {
  if (url.protocol !== "http:" && url.protocol !== "https:") return { reason: "scheme", detail: `scheme ${url.protocol}` };
  if (url.username !== "" || url.password !== "") return { reason: "credentials", detail: "user name or password in the URL" };
  return undefined;
}

type Resolved = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: UrlRefusalReason; detail: string };

/** The address to connect to: every address the host resolves to must be public, unless the host is allowlisted. */
async function resolveChecked(net: NodeNet, url: URL, options: UrlCheckOptions): Promise<Resolved> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  if (net.isIP(host) !== 0) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await net.lookup(host, { all: true, verbatim: true });
    } catch (error) {
      return { ok: false, reason: "unresolvable", detail: `${host} does not resolve (${(error as { code?: string }).code ?? String(error)})` };
    }
  }
  const first = addresses[0];
  if (!first) return { ok: false, reason: "unresolvable", detail: `${host} resolves to no address` };
  if (!isAllowed(url, options.allowedHosts)) {
    for (const { address } of addresses) {
      const kind = kindOf(net, address);
      if (kind !== undefined) return { ok: false, reason: "private_address", detail: `${host} resolves to ${address} (${kind})` };
    }
  }
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 };
}

interface ProbeAnswer {
  status: number;
  location: string | undefined;
  size: number | undefined;
}

/** One request to `url` at `address` (never another one the name might resolve to now); only its head is read. */
async function probe(net: NodeNet, url: URL, target: { address: string; family: 4 | 6 }, method: "HEAD" | "GET", signal: AbortSignal): Promise<ProbeAnswer> {
  const pinned = (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const response = await net.request(url, {
    method,
    agent: false,
    lookup: pinned as unknown as RequestOptions["lookup"],
    signal,
    headers: { "user-agent": "lesson-video-kit link check", accept: "*/*", ...(method === "GET" ? { range: "bytes=0-0" } : {}) },
  });
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  const range = /\/(\d+)$/.exec(response.headers["content-range"] ?? "")?.[1];
  const length = response.headers["content-length"];
  const sizeText = status === 206 ? range : status === 200 && method === "HEAD" ? length : undefined;
  response.destroy();
  const size = sizeText !== undefined && /^\d{1,16}$/.test(sizeText) ? Number(sizeText) : undefined;
  return { status, location, size };
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Checks a link for import: its shape, the addresses of its host and of every redirect's target, within
 * `options.timeoutMs`. Resolves with the final URL to hand the backend, or the reason to refuse it.
 */
export async function checkImportUrl(raw: string, options: UrlCheckOptions): Promise<UrlCheck> {
  if (raw.length > maxUrlLength || !URL.canParse(raw)) return refuse("malformed", undefined, "not an absolute URL of at most 2048 characters");
  let url = new URL(raw);
  const shape = checkShape(url);
  if (shape) return refuse(shape.reason, url.hostname || undefined, shape.detail);
  const net = await loadNodeNet();
  const signal = AbortSignal.timeout(options.timeoutMs);
  for (let redirects = 0; ; redirects++) {
    const hop = redirects === 0 ? undefined : `redirect ${redirects} to ${url.host}: `;
    const target = await resolveChecked(net, url, options);
    if (!target.ok) return refuse(hop ? "redirect" : target.reason, url.hostname, `${hop ?? ""}${target.detail}`);
    let answer: ProbeAnswer;
    try {
      answer = await probe(net, url, target, "HEAD", signal);
      // Some servers refuse HEAD (405, 501) or sign URLs for GET only (403): ask for one byte instead.
      if (answer.status >= 400) answer = await probe(net, url, target, "GET", signal);
    } catch (error) {
      const why = signal.aborted ? `no answer within ${options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      return refuse("unreachable", url.hostname, `${hop ?? ""}${why}`);
    }
    if (!redirectStatuses.has(answer.status) || answer.location === undefined) return { ok: true, url: url.href, size: answer.size, redirects };
    if (redirects >= options.maxRedirects) return refuse("redirect", url.hostname, `more than ${options.maxRedirects} redirects`);
    const next = URL.canParse(answer.location, url) ? new URL(answer.location, url) : undefined;
    if (!next || next.href.length > maxUrlLength) return refuse("redirect", url.hostname, "a redirect to something that is not a URL");
    const nextShape = checkShape(next);
    if (nextShape) return refuse("redirect", next.hostname || undefined, `redirect to ${nextShape.detail}`);
    url = next;
  }
}
