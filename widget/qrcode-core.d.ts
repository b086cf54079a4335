/**
 * The parts of the `qrcode` package's encoder the widget assembles itself (qr.ts), without the
 * package's renderers or its mixed-mode segmentation. Typed as far as qr.ts uses them.
 */
declare module 'qrcode/lib/core/bit-buffer.js' {
  export default class BitBuffer {
    buffer: number[];
    put(value: number, length: number): void;
    putBit(bit: boolean): void;
    getLengthInBits(): number;
  }
}
declare module 'qrcode/lib/core/bit-matrix.js' {
  export default class BitMatrix {
    constructor(size: number);
    data: Uint8Array;
    set(row: number, col: number, value: boolean | number, reserved?: boolean): void;
    isReserved(row: number, col: number): number;
  }
}
declare module 'qrcode/lib/core/error-correction-level.js' {
  export interface ErrorCorrectionLevel {
    bit: number;
  }
  export const M: ErrorCorrectionLevel;
}
declare module 'qrcode/lib/core/error-correction-code.js' {
  import type { ErrorCorrectionLevel } from 'qrcode/lib/core/error-correction-level.js';
  export function getBlocksCount(version: number, level: ErrorCorrectionLevel): number;
  export function getTotalCodewordsCount(version: number, level: ErrorCorrectionLevel): number;
}
declare module 'qrcode/lib/core/reed-solomon-encoder.js' {
  export default class ReedSolomonEncoder {
    constructor(degree: number);
    encode(data: Uint8Array): Uint8Array;
  }
}
declare module 'qrcode/lib/core/utils.js' {
  export function getSymbolSize(version: number): number;
  export function getSymbolTotalCodewords(version: number): number;
  export function getBCHDigit(data: number): number;
}
declare module 'qrcode/lib/core/finder-pattern.js' {
  export function getPositions(version: number): [number, number][];
}
declare module 'qrcode/lib/core/alignment-pattern.js' {
  export function getPositions(version: number): [number, number][];
}
declare module 'qrcode/lib/core/format-info.js' {
  import type { ErrorCorrectionLevel } from 'qrcode/lib/core/error-correction-level.js';
  export function getEncodedBits(level: ErrorCorrectionLevel, mask: number): number;
}
declare module 'qrcode/lib/core/mask-pattern.js' {
  import type BitMatrix from 'qrcode/lib/core/bit-matrix.js';
  export function applyMask(pattern: number, matrix: BitMatrix): void;
  export function getBestMask(matrix: BitMatrix, setupFormat: (mask: number) => void): number;
}
