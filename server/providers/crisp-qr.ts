/**
 * Gateways draw their QR codes as crisp squares, `scale` pixels a module, on white. jsQR reads such
 * an image just as well redrawn at two pixels a module, and many times faster. Anything that is not
 * a crisp, axis-aligned QR (blurred, rotated, photographed, anti-aliased) is left to jsQR whole.
 */

export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Pixels a module in the small redrawing; jsQR's finder scan wants more than one. */
const OUT_SCALE = 2;
/** The quiet zone the redrawing gets, in modules (the specification's 4). */
const QUIET = 4;

/** Dark, light, or neither (grey: not a crisp image). */
function shade(data: Uint8ClampedArray, i: number): 1 | 0 | -1 {
  const r = data[i];
  const g = data[i + 1];
  const b = data[i + 2];
  if (r < 64 && g < 64 && b < 64) return 1;
  if (r > 191 && g > 191 && b > 191) return 0;
  return -1;
}

/** The QR redrawn at OUT_SCALE pixels a module, or undefined when the image is not a crisp QR. */
export function crispQr({ data, width, height }: Rgba): Rgba | undefined {
  // The dark pixels' bounding box is the symbol (finder patterns sit in three of its corners).
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = shade(data, (y * width + x) * 4);
      if (s === -1) return undefined;
      if (s === 0) continue;
      if (top < 0) top = y;
      bottom = y;
      if (x < left) left = x;
      if (x > right) right = x;
    }
  }
  if (top < 0) return undefined;
  // The top-left finder pattern's first row: 7 dark modules.
  let run = 0;
  while (left + run <= right && shade(data, (top * width + left + run) * 4) === 1) run++;
  if (run % 7 !== 0) return undefined;
  const scale = run / 7;
  const side = right - left + 1;
  const modules = side / scale;
  if (bottom - top + 1 !== side || !Number.isInteger(modules) || modules < 21 || (modules - 21) % 4 !== 0)
    return undefined;
  // Every module must be one uniform square.
  const dark = new Uint8Array(modules * modules);
  for (let my = 0; my < modules; my++) {
    for (let mx = 0; mx < modules; mx++) {
      const value = shade(data, ((top + my * scale) * width + left + mx * scale) * 4);
      for (let y = top + my * scale; y < top + (my + 1) * scale; y++) {
        for (let x = left + mx * scale; x < left + (mx + 1) * scale; x++) {
          if (shade(data, (y * width + x) * 4) !== value) return undefined;
        }
      }
      dark[my * modules + mx] = value;
    }
  }
  const outSide = (modules + 2 * QUIET) * OUT_SCALE;
  const out = new Uint8ClampedArray(outSide * outSide * 4).fill(255);
  for (let y = 0; y < outSide; y++) {
    const my = Math.floor(y / OUT_SCALE) - QUIET;
    if (my < 0 || my >= modules) continue;
    for (let x = 0; x < outSide; x++) {
      const mx = Math.floor(x / OUT_SCALE) - QUIET;
      if (mx < 0 || mx >= modules || !dark[my * modules + mx]) continue;
      const i = (y * outSide + x) * 4;
      out[i] = out[i + 1] = out[i + 2] = 0;
    }
  }
  return { data: out, width: outSide, height: outSide };
}
