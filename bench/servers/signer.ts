/**
 * The signer as `npm start` runs it (sandbox mode, WAL + full sync), configured by the environment.
 * `seed` puts pending orders straight into its store, for figures about watching rather than creating.
 */
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { newOrderId } from '../../server/orders/service.ts';
import { toOrderView } from '../../server/orders/view.ts';
import { startSigner } from '../../server/signer.ts';
import { announce, type Question } from './announce.ts';

const config = loadConfig(process.env, process.env.DATA_DIR);
// BENCH_LOG=off: no log lines at all, to weigh what logging costs (bench/profile.ts).
const quiet = process.env.BENCH_LOG === 'off';
const signer = await startSigner(config, quiet ? { log: createLogger({ secrets: [], quiet }) } : {});

async function seed(question: Question) {
  const views = [];
  for (let n = 0; n < Number(question.count); n++) {
    const now = Date.now();
    const price = 100 + n;
    const id = newOrderId();
    await signer.store.insertOrder({ id, price, type: 1, product: null, param: null, reference: null, createdAt: now });
    const order = await signer.store.markPending(
      id,
      {
        money: price,
        gatewayOrderId: `seed-${n}`,
        qrPayload: `${signer.url}/sandbox/pay/seed-${n}`,
        qrImageUrl: null,
        qrLink: null,
        qrEnterAmount: false,
        expiresAt: now + 3_600_000,
      },
      now,
    );
    views.push(toOrderView(order!, now));
  }
  return views;
}

announce(signer.url, () => signer.close(), { seed });
