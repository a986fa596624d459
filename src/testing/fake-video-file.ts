/** Options of `createFakeVideoFile`; every one has a default. */
export interface FakeVideoFileOptions {
  /** Default "lesson.mp4". */
  name?: string | undefined;
  /** Size in bytes. Default 20 MiB. */
  size?: number | undefined;
  /** Declared MIME type. Default "video/mp4". */
  type?: string | undefined;
  /**
   * Modification time (ms since epoch). Default a fixed date, so two fake files with the same options are
   * "the same file picked again" (what resuming after a reload checks).
   */
  lastModified?: number | undefined;
}

/** An ISO-BMFF `ftyp` box (brand `isom`): the first bytes of a real MP4. */
const mp4Head = new Uint8Array([
  0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02, 0x00,
  0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x32,
]);

/**
 * A `File` whose first bytes are an MP4 `ftyp` box followed by zeros, so it passes the kit's
 * magic-byte check. For stories and tests with the memory transport; it is not playable.
 *
 * @example
 * const file = createFakeVideoFile({ name: "intro.mov", type: "video/quicktime", size: 50 * 1024 * 1024 });
 * await controller.start(file);
 */
export function createFakeVideoFile(options: FakeVideoFileOptions = {}): File {
  const { name = "lesson.mp4", size = 20 * 1024 * 1024, type = "video/mp4", lastModified = Date.UTC(2026, 0, 1) } = options;
  const filler = new Uint8Array(Math.min(1024 * 1024, Math.max(0, size - mp4Head.length)));
  const parts: BlobPart[] = [mp4Head.slice(0, Math.min(size, mp4Head.length))];
  // Repeat one zero buffer instead of allocating `size` bytes at once.
  for (let left = size - mp4Head.length; left > 0; left -= filler.length) parts.push(left >= filler.length ? filler : filler.subarray(0, left));
  return new File(parts, name, { type, lastModified });
}
