/**
 * The poster URL for the frame at `time` seconds: `?time=` added (or replaced), as Mux's and the
 * emulator's thumbnail URLs take it. Unchanged for `data:`/`blob:` URLs, without a time, and for a URL
 * carrying a signed `token` (Mux refuses extra query parameters next to a token: the time travels
 * inside the token as its `time` claim).
 */
export function posterAtTime(poster: string, time: number | undefined): string {
  if (time === undefined || !Number.isFinite(time) || time < 0) return poster;
  if (/^(data|blob):/i.test(poster)) return poster;
  const hashAt = poster.indexOf("#");
  const hash = hashAt === -1 ? "" : poster.slice(hashAt);
  const beforeHash = hashAt === -1 ? poster : poster.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? "" : beforeHash.slice(queryAt + 1));
  if (params.has("token")) return poster;
  params.set("time", String(Math.round(time * 1000) / 1000));
  return `${path}?${params.toString()}${hash}`;
}
