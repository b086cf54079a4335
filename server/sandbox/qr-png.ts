/**
 * The sandbox's QR image: the same picture `QRCode.toBuffer(text, {type: 'png', margin, scale})`
 * draws (error correction M, black on white), written straight from the module matrix as an 8-bit
 * greyscale PNG. A module row's repeats are stored as "same as the row above" (filter Up, all
 * zeros), so encoding is a fraction of a millisecond where the generic renderer takes several.
 */
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { constants, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FILTER_NONE = 0;
const FILTER_UP = 2;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function qrPng(text: string, options: { margin: number; scale: number }): Buffer {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const { margin, scale } = options;
  const modules = size + 2 * margin;
  const side = modules * scale;
  const stride = side + 1;
  const raw = Buffer.alloc(stride * side);
  for (let my = 0; my < modules; my++) {
    const first = my * scale * stride;
    raw[first] = FILTER_NONE;
    const y = my - margin;
    for (let mx = 0; mx < modules; mx++) {
      const x = mx - margin;
      const dark = y >= 0 && y < size && x >= 0 && x < size && data[y * size + x];
      raw.fill(dark ? 0 : 255, first + 1 + mx * scale, first + 1 + (mx + 1) * scale);
    }
    // The module row's other pixel rows repeat the first: filter Up with zero differences.
    for (let repeat = 1; repeat < scale; repeat++) raw[first + repeat * stride] = FILTER_UP;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9, strategy: constants.Z_RLE })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BLANK_SIDE = 200;

/** A white square: a valid PNG with no code in it. */
function blankPng(side: number): Buffer {
  const png = new PNG({ width: side, height: side });
  png.data.fill(255);
  return PNG.sync.write(png);
}

/** A sandbox's QR image of `text`; with the `unreadableQr` fault, a PNG with no code in it. */
export function qrImage(text: string, unreadable = false): Buffer {
  return unreadable ? blankPng(BLANK_SIDE) : qrPng(text, { margin: 2, scale: 6 });
}
