/** The few signer and sandbox calls the bench makes outside the load generator. */
import { signedQuery, sign, type Params } from '../../server/codepay/protocol.ts';
import { SANDBOX_MERCHANT_ID, SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';
import type { OrderView } from '../../shared/api.ts';

export const MERCHANT_ID = SANDBOX_MERCHANT_ID;
export const MERCHANT_KEY = SANDBOX_MERCHANT_KEY;

/**
 * The bench's clients all come from 127.0.0.1 and leave their orders open: a signer for the bench
 * has its per-client limits (requests, streams, open orders) lifted so that they measure speed.
 */
export const BENCH_SIGNER_LIMITS = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  // 11,000 watchers are held at once.
  SSE_MAX_PER_CLIENT: '20000',
  SSE_MAX_STREAMS: '20000',
  OPEN_ORDERS_PER_CLIENT: '1000000',
  OPEN_ORDERS_TOTAL: '10000000',
};

/** A price in yuan, e.g. "123.45", spread wide so the sandbox's amount pool never runs dry. */
export function spreadPrice(n: number): string {
  const cents = 100 + ((n * 7919) % 9_000_000);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export async function createOrder(signerUrl: string, n: number): Promise<OrderView> {
  const response = await fetch(`${signerUrl}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ price: spreadPrice(n), type: 1 }),
  });
  if (response.status !== 201) throw new Error(`create order: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as OrderView;
}

/** Creates `count` orders, `concurrency` at a time. */
export async function createOrders(signerUrl: string, count: number, concurrency = 16): Promise<OrderView[]> {
  const orders: OrderView[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      orders[n] = await createOrder(signerUrl, n);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return orders;
}

/** A payment notify as the CodePay cloud sends it, signed; `payNo` makes it distinct. */
export function notifyBody(order: { id: string; money: string | null; price: string }, payNo: string): string {
  const money = order.money ?? order.price;
  const fields: Params = {
    pay_id: order.id,
    money,
    price: order.price,
    type: '1',
    pay_no: payNo,
    param: '',
    pay_time: String(Math.floor(Date.now() / 1000)),
    pay_tag: '0',
    tag: '0',
    chart: 'utf-8',
    status: '2',
  };
  return new URLSearchParams({ ...fields, sign: sign(fields, MERCHANT_KEY) }).toString();
}

/** The query of a signed creat_order call (page=4), as the signer sends it. */
export function creatOrderQuery(payId: string, price: string, notifyUrl: string): string {
  return signedQuery(
    { id: MERCHANT_ID, pay_id: payId, type: '1', price, page: '4', notify_url: notifyUrl, outTime: '360' },
    MERCHANT_KEY,
  );
}

let payNoCounter = 0;
const payNoPrefix = String(Date.now());

/** A pay_no never used before in this bench run (the signer stores each one once). */
export function freshPayNo(): string {
  return `${payNoPrefix}${String(++payNoCounter).padStart(12, '0')}`;
}

export async function postNotify(signerUrl: string, body: string): Promise<string> {
  const response = await fetch(`${signerUrl}/api/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return response.text();
}
