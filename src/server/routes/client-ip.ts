/**
 * Which address a request comes from, as `trustProxy` lets it be known, and the key the per-IP limits
 * count it under. Only syntactically valid IP addresses are used: a forwarded value that is not one is
 * ignored, so a client cannot mint a fresh rate-limit key per request. IPv6 addresses are counted per
 * /64 prefix, the smallest block one subscriber is usually given, so a client that owns a prefix cannot
 * spread its requests over 2^64 keys. The parser mirrors `node:net`'s `isIP` (tested against it) without
 * importing a `node:` module: the server entry also loads on edge runtimes.
 */
import type { RouteContext } from "./options.js";

type ParsedIp = { version: 4; octets: number[] } | { version: 6; groups: number[] };

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const hexGroup = /^[0-9a-f]{1,4}$/i;

function parseIpv4(text: string): number[] | undefined {
  const match = ipv4.exec(text);
  return match ? match.slice(1).map(Number) : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  const address = text.replace(/%[^%]+$/, ""); // a zone id (`fe80::1%eth0`) names an interface, not a host
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, last: boolean): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (const [index, piece] of pieces.entries()) {
      const v4 = last && index === pieces.length - 1 && piece.includes(".") ? parseIpv4(piece) : undefined;
      if (v4) groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      else if (hexGroup.test(piece)) groups.push(parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const [head = "", tail] = halves;
  const front = groupsOf(head, tail === undefined);
  if (!front) return undefined;
  if (tail === undefined) return front.length === 8 ? front : undefined;
  const back = groupsOf(tail, true);
  if (!back || front.length + back.length > 7) return undefined;
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The address in `text`, or undefined when it is not exactly an IPv4 or IPv6 address (no port, no brackets). */
export function parseIp(text: string): ParsedIp | undefined {
  const octets = parseIpv4(text);
  if (octets) return { version: 4, octets };
  const groups = text.includes(":") ? parseIpv6(text) : undefined;
  if (!groups) return undefined;
  // An IPv4-mapped IPv6 address (`::ffff:203.0.113.9`, how dual-stack sockets report IPv4) is that IPv4 address.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return { version: 4, octets: [high >> 8, high & 0xff, low >> 8, low & 0xff] };
  }
  return { version: 6, groups };
}

const v6Text = (groups: number[]) => groups.map((group) => group.toString(16)).join(":");

/** One spelling per address, so `::1`, `0:0::1` and `::ffff:127.0.0.1` vs `127.0.0.1` compare equal. */
function canonical(ip: ParsedIp): string {
  return ip.version === 4 ? ip.octets.join(".") : v6Text(ip.groups);
}

/** The key per-IP limits count under: an IPv4 address itself, an IPv6 address's /64 prefix (`2001:db8:1:2::/64`). */
export function ipLimitKey(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return ip;
  return parsed.version === 4 ? canonical(parsed) : `${v6Text(parsed.groups.slice(0, 4))}::/64`;
}

/** Loopback and private addresses: where a reverse proxy of the same host or network connects from. */
function isPrivateAddress(ip: ParsedIp): boolean {
  if (ip.version === 4) {
    const [a = 0, b = 0] = ip.octets;
    return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
  }
  const first = ip.groups[0] ?? 0;
  const loopback = ip.groups.slice(0, 7).every((group) => group === 0) && ip.groups[7] === 1;
  return loopback || (first & 0xfe00) === 0xfc00;
}

/**
 * The client's IP as `trustProxy` allows it to be known (see the option), in one canonical spelling, or
 * undefined when nothing valid names it (no socket address, no usable forwarded header).
 */
export function clientIp(request: Request, context: RouteContext | undefined, trustProxy: boolean | readonly string[]): string | undefined {
  return clientIpOf(request, context, trustProxy);
}

/** `clientIp` for anything with the request's headers (the route table's view of a request). */
export function clientIpOf(request: { headers: { get(name: string): string | null } }, context: RouteContext | undefined, trustProxy: boolean | readonly string[]): string | undefined {
  const peerText = typeof context?.clientIp === "string" ? context.clientIp.trim() : "";
  const peerIp = parseIp(peerText);
  const peer = peerIp && canonical(peerIp);
  if (trustProxy === false) return peer;
  const proxies = trustProxy === true ? [] : trustProxy.flatMap((text) => parseIp(text.trim()) ?? []).map(canonical);
  const trusted = (ip: ParsedIp) => (trustProxy === true ? isPrivateAddress(ip) : proxies.includes(canonical(ip)));
  // Not connected through a proxy we trust: forwarded headers are whatever the client chose to send.
  if (peerIp !== undefined && !trusted(peerIp)) return peer;
  const chain = (request.headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (chain.length > 0) {
    // One trusted proxy: the entry it appended. A list: the nearest address that is not one of them. An
    // entry there that is not an IP address means the header cannot be read: the proxy itself is the key.
    const named = trustProxy === true ? chain.at(-1) : ([...chain].reverse().find((entry) => !proxies.includes(canonicalOr(entry))) ?? chain[0]);
    const ip = named === undefined ? undefined : parseIp(named);
    return ip ? canonical(ip) : peer;
  }
  const realIp = parseIp(request.headers.get("x-real-ip")?.trim() ?? "");
  return realIp ? canonical(realIp) : peer;
}

function canonicalOr(text: string): string {
  const ip = parseIp(text);
  return ip ? canonical(ip) : text;
}
