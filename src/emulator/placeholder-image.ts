/**
 * A plain PNG (a dark frame with a lighter band) for thumbnails when ffmpeg is missing or the asset has no
 * picture. Built with node:zlib; no image library needed for one flat image.
 */
import { crc32, deflateSync } from "node:zlib";

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export function placeholderPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const rowLength = 1 + width * 3;
  const pixels = Buffer.alloc(rowLength * height);
  const bandTop = Math.floor(height * 0.45);
  const bandBottom = Math.ceil(height * 0.55);
  for (let y = 0; y < height; y++) {
    const shade = y >= bandTop && y < bandBottom ? 0x55 : 0x22;
    pixels.fill(shade, y * rowLength + 1, (y + 1) * rowLength);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(pixels)), chunk("IEND", Buffer.alloc(0))]);
}
