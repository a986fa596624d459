/**
 * Where sign-in sends the user next: the `next` path it was given when that path stays on this site, else the
 * lessons page. Checked the way a browser reads the redirect, with URL parsing and an origin comparison, rather
 * than by the look of the string: `//evil.example`, `/\evil.example` and `/<tab>/evil.example` are all another
 * site to a URL parser. The once-decoded form is checked too (`/%5Cevil.example` is `/\evil.example` to anything
 * that decodes it before redirecting).
 */
const fallback = "/lessons";
/** A stand-in origin: only whether the target keeps it matters, and the answer is a path on the current host. */
const site = new URL("https://studio.invalid/");

function onThisSite(path: string): URL | undefined {
  if (!path.startsWith("/")) return undefined;
  let target: URL;
  try {
    target = new URL(path, site);
  } catch {
    return undefined;
  }
  return target.origin === site.origin ? target : undefined;
}

/** The path to redirect to after sign-in: `next` as the URL parser normalised it, when it stays on this site. */
export function signInDestination(next: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  const target = onThisSite(next);
  if (!target || !onThisSite(decoded)) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}
