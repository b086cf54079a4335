/** Encodes a payload into an SVG path with the `qrcode` package's encoder (not its renderers). */
import { create } from 'qrcode/lib/core/qrcode.js';

export interface QrShape {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** One rectangle per horizontal run of dark modules, in module units. */
  path: string;
}

/** The blank margin the QR specification requires, in modules. */
export const QUIET_ZONE = 4;

export function encodeQr(payload: string): QrShape {
  const { size, data } = create(payload, { errorCorrectionLevel: 'M' }).modules;
  let path = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!data[y * size + x]) continue;
      const start = x;
      while (x + 1 < size && data[y * size + x + 1]) x++;
      path += `M${start} ${y}h${x + 1 - start}v1H${start}z`;
    }
  }
  return { size, path };
}
