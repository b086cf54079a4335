/** `npm start`'s entry as a process: it names a bad setting, or why it could not start, in one line. */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, killAll, startTs, waitForOutput } from '../support/processes.ts';

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

it("in sandbox mode on a loopback address, prints how to start it for a phone on this machine's network", async () => {
  const port = String(await freePort());
  const child = startTs('server/main.ts', { DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-start-')), PORT: port });
  await waitForOutput(child, /SANDBOX MODE/);
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info?.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
  if (lan.length === 0) await waitForOutput(child, /To pay from a phone, first join a network/);
  else {
    const hint = await waitForOutput(
      child,
      /(?:PORT=(\d+) )?HOST=0\.0\.0\.0 PUBLIC_URL=http:\/\/([\d.]+):(\d+) npm start/,
    );
    expect(lan).toContain(hint[2]);
    expect([hint[1], hint[3]]).toEqual([port, port]);
  }
  await child.kill('SIGTERM');

  const reachable = startTs('server/main.ts', {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-start-')),
    PORT: port,
    PUBLIC_URL: `http://${lan[0] ?? '192.0.2.1'}:${port}`,
  });
  await waitForOutput(reachable, /SANDBOX MODE/);
  await waitForOutput(reachable, /Do not sell anything/);
  expect(reachable.output()).not.toMatch(/HOST=0\.0\.0\.0/);
  await reachable.kill('SIGTERM');
});
