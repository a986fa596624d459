/**
 * Which `Host` headers the emulator answers. A DNS-rebinding page reaches 127.0.0.1 under a name its owner
 * controls, and the browser sends that name as `Host`; answering only loopback names, the bound host, the host
 * of `publicUrl` and names the developer listed keeps such pages away from every route (the API's default
 * credentials are printed in the README, so Basic auth alone does not stop them).
 */

export interface HostCheckOptions {
  /** The interface the emulator binds (`host` option). Wildcards (`0.0.0.0`, `::`) name no host. */
  bindHost: string;
  publicUrl?: string | undefined;
  allowedHosts?: string[] | undefined;
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];
const WILDCARD_BINDS = new Set(["0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]"]);
/** A host, or a bracketed IPv6 address, with an optional port: nothing a URL parser could read as userinfo or a path. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/** The host name of a `Host` header or of a configured name, lower-cased, without the port; `undefined` if malformed. */
export function hostName(value: string): string | undefined {
  const trimmed = value.trim();
  // An IPv6 address as people write it in options (`::1`), not as it appears in a Host header.
  const bracketed = trimmed.includes(":") && !trimmed.startsWith("[") && trimmed.split(":").length > 2 ? `[${trimmed}]` : trimmed;
  if (!HOST_HEADER.test(bracketed)) return undefined;
  try {
    // The URL parser normalises case, IPv4 shorthands (127.1) and IPv6 spellings, as browsers do.
    return new URL(`http://${bracketed}`).hostname;
  } catch {
    return undefined;
  }
}

/** Returns the predicate the server applies to every request's `Host` header. */
export function createHostCheck(options: HostCheckOptions): (header: string | undefined) => boolean {
  for (const name of options.allowedHosts ?? []) {
    if (hostName(name) === undefined) throw new Error(`allowedHosts: "${name}" is not a host name (write "media.local", not a URL).`);
  }
  const names = [...LOOPBACK_HOSTS, options.bindHost, ...(options.allowedHosts ?? [])];
  if (options.publicUrl) names.push(new URL(options.publicUrl).host);
  const allowed = new Set<string>();
  for (const name of names) {
    const host = hostName(name);
    if (host !== undefined && !WILDCARD_BINDS.has(host)) allowed.add(host);
  }
  return (header) => {
    if (header === undefined) return false;
    const host = hostName(header);
    return host !== undefined && allowed.has(host);
  };
}
