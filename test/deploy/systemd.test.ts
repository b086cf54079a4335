/** deploy/codepay-checkout.service: a unit systemd accepts as it is, and locks the service down. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT } from '../support/processes.ts';

const UNIT = join(ROOT, 'deploy', 'codepay-checkout.service');
const run = promisify(execFile);
const analyze = (...args: string[]) => run('systemd-analyze', [...args, UNIT]);
const present = await analyze('--version').then(
  () => true,
  () => false,
);

// Reason: systemd-analyze comes with systemd, which a machine without it (a container, macOS) lacks;
// .ci/run installs it, so CI always runs these.
it.skipIf(!present)('passes systemd-analyze verify without a warning', async () => {
  // verify exits 0 even for a setting it cannot parse (it ignores it with a warning): hence stderr too.
  const { stderr } = await analyze('verify');
  expect(stderr).toBe('');
});

it.skipIf(!present)('rates low on systemd-analyze security: no capabilities, read-only system, few calls', async () => {
  const { stdout } = await analyze('security', '--offline=yes');
  const exposure = Number(/Overall exposure level for codepay-checkout\.service: ([\d.]+)/.exec(stdout)?.[1]);
  // 10 is an unconfined service; systemd calls below 2 "OK".
  expect(exposure).toBeLessThan(2);
  const locked = ['CapabilityBoundingSet=~CAP_SYS_ADMIN', 'NoNewPrivileges=', 'ProtectSystem=', 'ProtectHome='];
  for (const setting of [...locked, 'PrivateTmp=', 'PrivateDevices=', 'SystemCallFilter=~@mount']) {
    expect(stdout).toContain(`✓ ${setting}`);
  }
});
