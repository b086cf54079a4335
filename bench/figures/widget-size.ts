/**
 * The widget's weight, gzip -9, built as `npm run build` builds it: its first load (the entry and
 * what it imports statically, before the QR encoder is needed), and everything with the lazy chunk.
 * Floors: a minimal Lit element, and one that draws a `qrcode` SVG, built the same way.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioOf, type BenchContext, type Figure } from '../lib/figure.ts';
import { buildLikeWidget, type Built } from '../lib/vite-build.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KB = 1024;

const kb = (bytes: number) => bytes / KB;
const chunksOf = (built: Built, modules = 0) =>
  built.chunks.map(({ fileName, isEntry, bytes, gzipBytes, modules: parts }) => ({
    fileName,
    isEntry,
    bytes,
    gzipBytes,
    modules: parts.slice(0, modules),
  }));

export async function widgetSizes(ctx: BenchContext): Promise<Figure[]> {
  const widget = await buildLikeWidget(join(ROOT, 'widget/index.ts'), join(ctx.workDir, 'build-widget'));
  const floor = await buildLikeWidget(join(ROOT, 'bench/floor/minimal-lit.ts'), join(ctx.workDir, 'build-floor'));
  const floorQr = await buildLikeWidget(
    join(ROOT, 'bench/floor/minimal-lit-qr.ts'),
    join(ctx.workDir, 'build-floor-qr'),
  );
  const first = kb(widget.firstLoadGzip);
  const firstFloor = kb(floor.firstLoadGzip);
  const all = kb(widget.everythingGzip);
  const allFloor = kb(floorQr.everythingGzip);
  return [
    {
      key: 'widget-first-load',
      figure: 'widget first load, gzipped (before the QR encoder is needed)',
      ours: first,
      unit: 'KB gz',
      baseline: firstFloor,
      baselineName: 'a minimal Lit element built the same way',
      ratio: ratioOf(first, firstFloor),
      target: '≤ 8 KB, and within 2 KB of the floor',
      met: first <= 8 && first - firstFloor <= 2,
      details: { overFloorKB: first - firstFloor, widget: chunksOf(widget, 12), floor: chunksOf(floor) },
    },
    {
      key: 'widget-everything',
      figure: 'widget everything, gzipped',
      ours: all,
      unit: 'KB gz',
      baseline: allFloor,
      baselineName: 'a minimal Lit element + `qrcode` SVG built the same way',
      ratio: ratioOf(all, allFloor),
      target: '≤ 17 KB',
      met: all <= 17,
      details: { floorQr: chunksOf(floorQr) },
    },
  ];
}
