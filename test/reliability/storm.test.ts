/**
 * Crash safety, for each provider: 1,000 orders created and paid while the signer, a separate
 * process, is SIGKILLed several times and restarted on the same data. The provider's sandbox
 * (`GATEWAY=… npm run sandbox`, its own process) sends every notify twice at once and re-sends on a
 * short schedule while the signer is down. At the end every order a buyer saw is paid, every
 * payment recorded exactly once, none orphaned.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { eventually, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { freePort, killAll, startSandboxProcess, startSignerProcess, type Child } from '../support/processes.ts';
import { runStorm } from './storm.ts';

const ORDERS = 1_000;
const KILL_AT = [120, 300, 480, 660, 840];
const MERCHANT_KEY = `storm-key-${Math.random().toString(36).slice(2)}`;

/** What the storm needs of a provider: its merchant, how the signer reaches its sandbox, how a buyer pays. */
interface StormGateway {
  gateway: 'codepay' | 'epay' | 'vmq';
  /** The merchant's settings, for the sandbox and the signer alike. */
  merchant: Record<string, string>;
  /** The signer's settings that point it at the sandbox as at a real gateway. */
  signerEnv: (sandboxUrl: string) => Record<string, string>;
  /** Pays at the sandbox's pay page, as a phone that scanned the QR; the payment number. */
  pay: (order: OrderView) => Promise<string>;
  /** The sandbox's payments by number, and whether each one's notify is done (acknowledged, or never sent again). */
  payments: (sandboxUrl: string) => Promise<{ payNo: string; delivered: boolean }[]>;
  /** The channels the gateway takes; default all. */
  channels?: number[];
  /** More settings of the signer for this gateway. */
  extraSignerEnv?: Record<string, string>;
}

const GATEWAYS: StormGateway[] = [
  {
    gateway: 'codepay',
    merchant: { CODEPAY_ID: '30003', CODEPAY_KEY: MERCHANT_KEY },
    signerEnv: (sandboxUrl) => ({ CODEPAY_GATEWAY: `${sandboxUrl}/creat_order/` }),
    pay: async (order) => (await payAtSandbox(order.qr!.payload!)).pay_no,
    payments: async (sandboxUrl) =>
      (await requestJson<{ pay_no: string; notify: string }[]>(`${sandboxUrl}/_control/payments`)).body.map(
        (payment) => ({ payNo: payment.pay_no, delivered: payment.notify === 'delivered' }),
      ),
  },
  {
    gateway: 'epay',
    merchant: { EPAY_PID: '30004', EPAY_KEY: MERCHANT_KEY },
    signerEnv: (sandboxUrl) => ({ EPAY_URL: `${sandboxUrl}/` }),
    pay: async (order) => {
      const answer = await requestJson<{ trade_no: string }>(order.qr!.payload!, {
        method: 'POST',
        headers: { accept: 'application/json' },
      });
      if (answer.status !== 200) throw new Error(`pay: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.trade_no;
    },
    payments: async (sandboxUrl) =>
      (await requestJson<{ trade_no: string; notify: string }[]>(`${sandboxUrl}/_control/payments`)).body.map(
        (payment) => ({ payNo: payment.trade_no, delivered: payment.notify === 'delivered' }),
      ),
  },
  {
    // V免签 sends each notify once: those a kill cut off are found by reconciliation (checkOrder).
    gateway: 'vmq',
    merchant: { VMQ_KEY: MERCHANT_KEY },
    signerEnv: (sandboxUrl) => ({ VMQ_URL: sandboxUrl }),
    extraSignerEnv: { RECONCILE_INTERVAL: '1' },
    channels: [1, 3],
    pay: async (order) => {
      const answer = await requestJson(order.qr!.payload!, { method: 'POST', headers: { accept: 'application/json' } });
      if (answer.status !== 200) throw new Error(`pay: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      // V免签 has no payment number: the order's payId names its payment.
      return order.id;
    },
    payments: async (sandboxUrl) =>
      (
        await requestJson<{ payId: string; state: number; notify: string | null }[]>(`${sandboxUrl}/_control/orders`)
      ).body
        .filter((order) => order.state === 1 || order.state === 2)
        .map((order) => ({ payNo: order.payId, delivered: order.notify !== 'sending' })),
  },
];

for (const {
  gateway,
  merchant,
  signerEnv: gatewayEnv,
  pay,
  payments: listPayments,
  channels,
  extraSignerEnv,
} of GATEWAYS) {
  describe(`GATEWAY=${gateway}`, () => {
    let dataDir: string;
    let sandbox: { child: Child; url: string };
    let signer: Child;
    let signerEnv: Record<string, string>;
    const outputs: string[] = [];

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), `codepay-storm-${gateway}-`));
      sandbox = await startSandboxProcess({
        GATEWAY: gateway,
        ...merchant,
        SANDBOX_RETRY_SCHEDULE: '0.1,0.2,0.3,0.5,0.5,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1',
      });
      const port = String(await freePort());
      signerEnv = {
        GATEWAY: gateway,
        ...merchant,
        ...gatewayEnv(sandbox.url),
        HOST: '127.0.0.1',
        PORT: port,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        PRICE_MIN: '1',
        PRICE_MAX: '200',
        RATE_LIMIT_PER_MINUTE: '1000000',
        OPEN_ORDERS_PER_CLIENT: '1000000',
        // Orders a kill leaves `creating` are failed by the sweep 2 × this + 10 s after they began.
        GATEWAY_TIMEOUT_MS: '1000',
        ...extraSignerEnv,
      };
      signer = await startSignerProcess(signerEnv);
      // Every notify is sent twice at the same moment, on top of the re-sends the kills cause.
      expect((await postJson(`${sandbox.url}/_control/faults`, { duplicateNotify: true })).status).toBe(200);
    }, 60_000);

    afterAll(async () => {
      await killAll();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function crashAndRestart(): Promise<void> {
      outputs.push(signer.output());
      await signer.kill('SIGKILL');
      signer = await startSignerProcess(signerEnv);
    }

    function readDatabase() {
      const db = new Database(join(dataDir, 'codepay.sqlite'), { readonly: true });
      try {
        return {
          orders: db.prepare('SELECT id, status, money FROM orders').all() as {
            id: string;
            status: string;
            money: number | null;
          }[],
          payments: db.prepare('SELECT pay_no, order_id, outcome, money FROM payments').all() as {
            pay_no: string;
            order_id: string | null;
            outcome: string;
            money: number | null;
          }[],
        };
      } finally {
        db.close();
      }
    }

    it(`loses and doubles no payment of ${ORDERS} while the signer is SIGKILLed ${KILL_AT.length} times`, async () => {
      const storm = await runStorm({
        signerUrl: signerEnv.PUBLIC_URL,
        orders: ORDERS,
        concurrency: 16,
        killAt: KILL_AT,
        crashAndRestart,
        pay,
        channels,
      });

      // The sandbox stops re-sending a notify once the signer has answered `success`.
      const sandboxPayments = await eventually(
        async () => {
          const list = await listPayments(sandbox.url);
          return list.every((payment) => payment.delivered) ? list : undefined;
        },
        30_000,
        'every notify delivered',
      );
      const attempts = (await requestJson<{ success: boolean }[]>(`${sandbox.url}/_control/attempts`)).body;
      // Every order a buyer saw turns paid, by its notify or (a notify sent once and lost) by reconciliation.
      await eventually(
        async () => {
          const paid = new Set(
            readDatabase()
              .orders.filter((order) => order.status === 'paid')
              .map((order) => order.id),
          );
          return [...storm.shown.keys()].every((id) => paid.has(id)) ? true : undefined;
        },
        30_000,
        'every order shown paid',
      );
      // Nothing stays `creating`: what a kill cut off in the middle of creat_order is failed by the restarted signer.
      await eventually(
        async () => (readDatabase().orders.some((order) => order.status === 'creating') ? undefined : true),
        30_000,
        'no order left creating',
      );
      await signer.kill('SIGTERM');
      expect(await signer.exited, 'a graceful stop').toBe(0);
      outputs.push(signer.output(), sandbox.child.output());

      const { orders, payments } = readDatabase();
      const orderById = new Map(orders.map((order) => [order.id, order]));
      const paymentByPayNo = new Map(payments.map((payment) => [payment.pay_no, payment]));
      const paymentsPerOrder = new Map<string, number>();
      for (const payment of payments) {
        if (payment.order_id) paymentsPerOrder.set(payment.order_id, (paymentsPerOrder.get(payment.order_id) ?? 0) + 1);
      }
      const shown = [...storm.shown.values()];
      const lost =
        sandboxPayments.filter((payment) => !paymentByPayNo.has(payment.payNo)).length +
        shown.filter(({ order }) => orderById.get(order.id)?.status !== 'paid').length;
      const duplicated = [...paymentsPerOrder.values()].reduce((sum, count) => sum + count - 1, 0);
      const orphaned = payments.filter(
        (payment) => payment.order_id === null || !orderById.has(payment.order_id),
      ).length;
      const unseen = orders.filter((order) => !storm.shown.has(order.id));
      const figures = {
        'orders shown to buyers': storm.shown.size,
        'payments at the gateway': sandboxPayments.length,
        'payments recorded': payments.length,
        'SIGKILLs of the signer': storm.kills,
        'notify attempts (2 copies each)': attempts.length,
        'notify attempts refused or unanswered': attempts.filter((attempt) => !attempt.success).length,
        'create requests retried while down': storm.createRetries,
        'orders cut off by a kill before the buyer saw them': unseen.length,
        '… of which failed by the sweep (none left creating)': unseen.filter((order) => order.status === 'failed')
          .length,
        lost,
        duplicated,
        orphaned,
      };
      console.log(
        `storm figures\n${Object.entries(figures)
          .map(([name, value]) => `  ${name}: ${value}`)
          .join('\n')}`,
      );

      expect(storm.kills).toBe(KILL_AT.length);
      // The kills did land while notifies were on their way: some attempt got no `success`.
      expect(figures['notify attempts refused or unanswered']).toBeGreaterThan(0);
      expect(storm.shown.size).toBe(ORDERS);
      expect(sandboxPayments).toHaveLength(ORDERS);
      expect({ lost, duplicated, orphaned }).toEqual({ lost: 0, duplicated: 0, orphaned: 0 });
      expect(payments).toHaveLength(sandboxPayments.length);
      for (const { order, payNo } of shown) {
        expect(paymentByPayNo.get(payNo), order.id).toMatchObject({
          order_id: order.id,
          outcome: 'paid',
          money: orderById.get(order.id)!.money,
        });
      }
      // An order the buyer never saw was never paid: at most left `creating`/`pending` by the kill.
      expect(unseen.filter((order) => order.status === 'paid')).toEqual([]);
      expect(outputs.join('\n')).not.toContain(MERCHANT_KEY);
    }, 120_000);
  });
}
