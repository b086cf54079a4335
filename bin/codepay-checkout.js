#!/usr/bin/env node
// The admin CLI. In a development checkout (tsx installed) it runs the source, server/cli/main.ts, so
// no build step is needed; in a production install it runs what `npm run build` compiled.
import { existsSync } from 'node:fs';

async function developmentLoader() {
  try {
    return await import('tsx/esm/api');
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}

const tsx = await developmentLoader();
tsx?.register();
const entry = new URL(tsx ? '../server/cli/main.ts' : '../dist/node/server/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('codepay-checkout: the server is not built: run `npm run build` (with dev dependencies installed)');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(
  process.argv.slice(2),
  (text) => console.log(text),
  (text) => console.error(text),
);
