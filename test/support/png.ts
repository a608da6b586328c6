import { inflateSync } from "node:zlib";

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** The inflated scanlines (proves the image data decodes). */
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Checks a PNG's structure (signature, IHDR first, IEND, chunk bounds) and inflates its IDAT data. Throws if invalid. */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG: bad signature");
  if (png.subarray(12, 16).toString("ascii") !== "IHDR") throw new Error("IHDR is not the first chunk");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bitDepth = png[24] ?? 0;
  const colorType = png[25] ?? 0;
  const idat: Buffer[] = [];
  let pos = 8;
  let sawEnd = false;
  while (pos + 12 <= png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.subarray(pos + 4, pos + 8).toString("ascii");
    if (pos + 12 + len > png.length) throw new Error(`chunk ${type} runs past the end`);
    if (type === "IDAT") idat.push(png.subarray(pos + 8, pos + 8 + len));
    if (type === "IEND") sawEnd = true;
    pos += 12 + len;
  }
  if (!sawEnd) throw new Error("no IEND chunk");
  const pixels = inflateSync(Buffer.concat(idat));
  const channels = CHANNELS[colorType];
  if (channels === undefined) throw new Error(`unknown colour type ${colorType}`);
  const expected = height * (1 + Math.ceil((width * channels * bitDepth) / 8));
  if (pixels.length !== expected) throw new Error(`image data is ${pixels.length} bytes, expected ${expected}`);
  return { width, height, bitDepth, colorType, pixels };
}
