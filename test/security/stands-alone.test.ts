/**
 * Nothing in the repository reads outside it: every relative module path and every path made from
 * import.meta.url resolves inside the checkout. (.ci/run proves it for real: it runs the tests in a
 * fresh clone with nothing beside it.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/processes.ts';

const PATHS = [
  /\bfrom '(\.\.?\/[^']*)'/g,
  /\bimport\('(\.\.?\/[^']*)'\)/g,
  /new URL\('(\.\.?\/[^']*)', import\.meta\.url\)/g,
];

it('resolves every relative import and import.meta.url path inside the repository', () => {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs'], { cwd: ROOT, encoding: 'utf8' });
  const outside: string[] = [];
  let checked = 0;
  for (const file of files.split('\n').filter(Boolean)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const pattern of PATHS) {
      for (const [, path] of text.matchAll(pattern)) {
        checked++;
        if (relative(ROOT, resolve(ROOT, dirname(file), path)).startsWith('..')) outside.push(`${file}: ${path}`);
      }
    }
  }
  // The scan found the imports (some 490 today), not nothing.
  expect(checked).toBeGreaterThan(300);
  expect(outside).toEqual([]);
});
