/**
 * Encodes a payload into an SVG path with the `qrcode` package's encoder parts (Reed–Solomon, the
 * error-correction tables, format information, finder and alignment patterns, mask selection),
 * assembled the way its `create` does, for one byte-mode segment at level M. The result is
 * module-for-module what `create([{ data, mode: 'byte' }], { errorCorrectionLevel: 'M' })` gives.
 * This leaves out the package's mixed-mode segmentation (numeric, alphanumeric and kanji
 * segments, a shortest-path search, their regular expressions), about 3 KB gzipped that a payment
 * URL does not need; the 18-bit version information is computed here for the same reason (the
 * package's version module brings the segmentation modes with it).
 */
import BitBuffer from 'qrcode/lib/core/bit-buffer.js';
import BitMatrix from 'qrcode/lib/core/bit-matrix.js';
import { getPositions as alignments } from 'qrcode/lib/core/alignment-pattern.js';
import { getBlocksCount, getTotalCodewordsCount } from 'qrcode/lib/core/error-correction-code.js';
import { M } from 'qrcode/lib/core/error-correction-level.js';
import { getPositions as finders } from 'qrcode/lib/core/finder-pattern.js';
import { getEncodedBits as formatBits } from 'qrcode/lib/core/format-info.js';
import { applyMask, getBestMask } from 'qrcode/lib/core/mask-pattern.js';
import ReedSolomonEncoder from 'qrcode/lib/core/reed-solomon-encoder.js';
import { getBCHDigit, getSymbolSize, getSymbolTotalCodewords } from 'qrcode/lib/core/utils.js';

export interface QrShape {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** One rectangle per horizontal run of dark modules, in module units. */
  path: string;
}

/** The blank margin the QR specification requires, in modules. */
export const QUIET_ZONE = 4;

/** Version information (versions 7 and up): the version and its BCH(18,6) remainder. */
function versionBits(version: number): number {
  let d = version << 12;
  while (getBCHDigit(d) >= 13) d ^= 0x1f25 << (getBCHDigit(d) - 13);
  return (version << 12) | d;
}

const dataCodewords = (version: number) => getSymbolTotalCodewords(version) - getTotalCodewordsCount(version, M);

/** The data codewords, interleaved with their error correction, as the symbol carries them. */
function codewords(bytes: Uint8Array, version: number): Uint8Array {
  const total = getSymbolTotalCodewords(version);
  const dataTotal = dataCodewords(version);
  const buffer = new BitBuffer();
  buffer.put(4, 4); // byte mode
  buffer.put(bytes.length, version < 10 ? 8 : 16);
  for (const byte of bytes) buffer.put(byte, 8);
  const bits = dataTotal * 8;
  if (buffer.getLengthInBits() + 4 <= bits) buffer.put(0, 4);
  while (buffer.getLengthInBits() % 8) buffer.putBit(false);
  for (let i = 0; buffer.getLengthInBits() < bits; i++) buffer.put(i % 2 ? 0x11 : 0xec, 8);
  const blocks = getBlocksCount(version, M);
  const short = blocks - (total % blocks); // blocks in group 1, one data codeword shorter
  const dataSize = Math.floor(dataTotal / blocks);
  const ecSize = Math.floor(total / blocks) - dataSize;
  const rs = new ReedSolomonEncoder(ecSize);
  const data = new Uint8Array(buffer.buffer);
  const dc: Uint8Array[] = [];
  const ec: Uint8Array[] = [];
  for (let b = 0, offset = 0; b < blocks; b++) {
    const size = dataSize + (b < short ? 0 : 1);
    dc.push(data.slice(offset, (offset += size)));
    ec.push(rs.encode(dc[b]!));
  }
  const out: number[] = [];
  for (let i = 0; i <= dataSize; i++) for (const block of dc) if (i < block.length) out.push(block[i]!);
  for (let i = 0; i < ecSize; i++) for (const block of ec) out.push(block[i]!);
  return Uint8Array.from(out);
}

export function encodeQr(payload: string): QrShape {
  const bytes = new TextEncoder().encode(payload);
  let version = 1;
  // Mode indicator, character count, data.
  while (4 + (version < 10 ? 8 : 16) + 8 * bytes.length > 8 * dataCodewords(version))
    if (++version > 40) throw new Error('The payload is too long for a QR code');
  const size = getSymbolSize(version);
  const matrix = new BitMatrix(size);
  const set = (row: number, col: number, dark: unknown) => matrix.set(row, col, !!dark, true);
  for (const [row, col] of finders(version))
    for (let r = -1; r <= 7; r++)
      for (let c = -1; c <= 7; c++)
        if (row + r >= 0 && row + r < size && col + c >= 0 && col + c < size)
          set(
            row + r,
            col + c,
            (r >= 0 && r <= 6 && (c === 0 || c === 6)) ||
              (c >= 0 && c <= 6 && (r === 0 || r === 6)) ||
              (r >= 2 && r <= 4 && c >= 2 && c <= 4),
          );
  for (let i = 8; i < size - 8; i++) {
    set(i, 6, i % 2 === 0);
    set(6, i, i % 2 === 0);
  }
  for (const [row, col] of alignments(version))
    for (let r = -2; r <= 2; r++)
      for (let c = -2; c <= 2; c++) set(row + r, col + c, Math.max(Math.abs(r), Math.abs(c)) !== 1);
  const format = (mask: number) => {
    const bits = formatBits(M, mask);
    for (let i = 0; i < 15; i++) {
      const dark = (bits >> i) & 1;
      set(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, dark);
      set(8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i, dark);
    }
    set(size - 8, 8, true);
  };
  format(0);
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = (bits >> i) & 1;
      set(Math.floor(i / 3), (i % 3) + size - 11, dark);
      set((i % 3) + size - 11, Math.floor(i / 3), dark);
    }
  }
  // The data, in two-module columns zigzagging up and down from the bottom right.
  const data = codewords(bytes, version);
  let bit = 0;
  for (let col = size - 1, up = true; col > 0; col -= 2, up = !up) {
    if (col === 6) col--;
    for (let step = 0; step < size; step++) {
      const row = up ? size - 1 - step : step;
      for (let c = 0; c < 2; c++)
        if (!matrix.isReserved(row, col - c)) {
          matrix.set(row, col - c, ((data[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1, false);
          bit++;
        }
    }
  }
  const mask = getBestMask(matrix, format);
  applyMask(mask, matrix);
  format(mask);

  const modules = matrix.data;
  let path = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!modules[y * size + x]) continue;
      const start = x;
      while (x + 1 < size && modules[y * size + x + 1]) x++;
      path += `M${start} ${y}h${x + 1 - start}v1H${start}z`;
    }
  }
  return { size, path };
}
