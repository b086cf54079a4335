/** `npm start`'s entry as a process: it names a bad setting, or why it could not start, in one line. */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { killAll, startTs } from '../support/processes.ts';

afterAll(killAll);

async function failedStart(env: Record<string, string>): Promise<string> {
  const child = startTs('server/main.ts', { DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-start-')), ...env });
  expect(await child.exited).toBe(1);
  return child.output().trim();
}

it('stops with one line naming a bad setting', async () => {
  const output = await failedStart({ PRICE_MAX: '1e9' });
  expect(output).toMatch(/^codepay-checkout: configuration error: PRICE_MAX: /);
  expect(output.split('\n')).toHaveLength(1);
});

it('stops with one line when its port is taken', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = taken.address() as { port: number };
    const output = await failedStart({ PORT: String(port) });
    expect(output).toMatch(/^codepay-checkout: could not start: .*EADDRINUSE.*set PORT\)$/);
  } finally {
    taken.close();
  }
});
