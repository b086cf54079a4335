/** `GATEWAY=epay npm run sandbox`: the epay sandbox alone, for EPAY_PID / EPAY_KEY, on SANDBOX_PORT. */
import { afterEach, describe, expect, it } from 'vitest';
import { EPAY_SANDBOX_KEY, EPAY_SANDBOX_PID } from '../../server/sandbox/epay/index.ts';
import { runPeerAsync } from '../support/peers.ts';
import { killAll, startProcess, startSandboxProcess, startTs, waitForOutput } from '../support/processes.ts';
import { orderFields, startMerchant, waitFor, type Loose } from '../support/epay-sandbox.ts';

afterEach(killAll);

type Created = { http: string; answer: Loose | null };

describe('GATEWAY=epay npm run sandbox', () => {
  it('serves the merchant of EPAY_PID / EPAY_KEY: a PHP merchant creates, pays and is notified; the key is never printed', async () => {
    const key = 'a-merchant-key-from-the-environment';
    const merchant = await startMerchant(['success']);
    // node itself (not npm), so that SIGTERM reaches the sandbox's own handler.
    const child = startTs('server/sandbox/main.ts', {
      SANDBOX_PORT: '0',
      GATEWAY: 'epay',
      EPAY_PID: '4242',
      EPAY_KEY: key,
      SANDBOX_RETRY_SCHEDULE: '0.1,0.1',
    });
    const [, url] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(child.output()).toContain(`${url}/mapi.php`);
    const order = orderFields({ pid: '4242', notify_url: merchant.url });
    const [{ answer }] = await runPeerAsync<Created>('epay', 'mapi_create.php', [{ base: url, key, order }]);
    expect(answer).toMatchObject({ code: 1, qrcode: expect.stringContaining(`${url}/pay/`) });
    const paid = await fetch(String(answer!.qrcode), { method: 'POST', headers: { accept: 'application/json' } });
    expect(await paid.json()).toMatchObject({ paid: true });
    const [notify] = await waitFor(
      async () => (merchant.received.length > 0 ? merchant.received : undefined),
      'a notify',
    );
    expect(notify.query).toMatchObject({ pid: '4242', out_trade_no: order.out_trade_no, money: '1' });
    await child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.output()).not.toContain(key);
    await merchant.close();
  });

  it('uses the documented test credentials when none are given', async () => {
    const { url } = await startSandboxProcess({ GATEWAY: 'epay' });
    const order = orderFields({ pid: EPAY_SANDBOX_PID });
    const [{ answer }] = await runPeerAsync<Created>('epay', 'mapi_create.php', [
      { base: url, key: EPAY_SANDBOX_KEY, order },
    ]);
    expect(answer).toMatchObject({ code: 1 });
  });

  it('stops at once with one line naming a GATEWAY it does not know', async () => {
    const child = startProcess('npm', ['run', '--silent', 'sandbox'], { SANDBOX_PORT: '0', GATEWAY: 'paypal' });
    expect(await child.exited).toBe(1);
    expect(child.output().trim()).toMatch(/^sandbox: GATEWAY: expected codepay or epay$/);
  });
});
