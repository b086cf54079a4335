/**
 * Builds an entry exactly the way the widget is built (vite.config.ts: library mode, es2022,
 * minified, no comments), into a folder of its own, and weighs what a browser downloads.
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BuiltChunk {
  fileName: string;
  isEntry: boolean;
  imports: string[];
  bytes: number;
  gzipBytes: number;
  /** Minified bytes each source module contributes, largest first. */
  modules: { id: string; bytes: number }[];
}

export interface Built {
  outDir: string;
  chunks: BuiltChunk[];
  /** gzip -9 bytes of the entry and what it imports statically: what loads before anything lazy. */
  firstLoadGzip: number;
  /** gzip -9 bytes of every chunk, lazy ones included. */
  everythingGzip: number;
}

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

export async function buildLikeWidget(entry: string, outDir: string): Promise<Built> {
  const result = await build({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'silent',
    // Only what differs: arrays in an inline config are appended to the file's, not replaced.
    build: { outDir, emptyOutDir: true, lib: { entry } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const byName = new Map<string, BuiltChunk>();
  for (const output of outputs) {
    for (const chunk of output.output) {
      if (chunk.type !== 'chunk') continue;
      byName.set(chunk.fileName, {
        fileName: chunk.fileName,
        isEntry: chunk.isEntry,
        imports: chunk.imports,
        bytes: Buffer.byteLength(chunk.code),
        gzipBytes: gzip(chunk.code),
        modules: Object.entries(chunk.modules)
          .map(([id, module]) => ({
            id: id.replace(ROOT, '').replace(/^.*node_modules\//, ''),
            bytes: module.renderedLength,
          }))
          .sort((a, b) => b.bytes - a.bytes),
      });
    }
  }
  const chunks = [...byName.values()];
  const firstLoad = new Set<string>();
  const visit = (name: string) => {
    if (firstLoad.has(name)) return;
    firstLoad.add(name);
    for (const imported of byName.get(name)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  const sum = (names: Iterable<string>) =>
    [...names].reduce((total, name) => total + (byName.get(name)?.gzipBytes ?? 0), 0);
  return { outDir, chunks, firstLoadGzip: sum(firstLoad), everythingGzip: sum(byName.keys()) };
}
