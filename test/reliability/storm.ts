/**
 * A storm of buyers: each creates an order at the signer (over and over while the signer is down,
 * as a buyer presses pay again) and pays it at the sandbox the way a phone does (`pay`). Meanwhile the
 * signer is SIGKILLed each time the number of payments passes one of `killAt`, and restarted.
 */
import type { OrderView } from '../../shared/api.ts';
import { decodeQrPng } from '../../server/providers/qr.ts';
import { postJson } from '../support/http.ts';

export interface StormOptions {
  signerUrl: string;
  /** How many orders buyers get to see (and pay). */
  orders: number;
  concurrency: number;
  /** Kill the signer when the payment count reaches each of these. */
  killAt: number[];
  /** SIGKILLs the signer and starts it again on the same data and port. */
  crashAndRestart: () => Promise<void>;
  /** Pays the order at the gateway's pay page (its QR's); the gateway's payment number. */
  pay: (order: OrderView) => Promise<string>;
  /** The channels the gateway takes (default all: 1, 2, 3). */
  channels?: readonly number[];
}

export interface Shown {
  order: OrderView;
  payNo: string;
}

export interface StormResult {
  /** Orders a buyer saw (201) and paid, by id. */
  shown: Map<string, Shown>;
  /** Create requests that got no answer or a 5xx because the signer was down. */
  createRetries: number;
  kills: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Any amount from 1.00 to 200.00, on any of the channels: the sandbox gives each open order its own money. */
function randomOrder(channels: readonly number[]): { price: string; type: number } {
  const type = channels[Math.floor(Math.random() * channels.length)];
  return { price: (100 + Math.floor(Math.random() * 19_901)) / 100 + '', type };
}

/**
 * The order with what a phone reads from the QR the buyer sees as its payload: the payload, or,
 * when the signer could not read the gateway's image in time (a loaded machine), the image the
 * widget shows instead, decoded.
 */
async function scanned(order: OrderView, signerUrl: string): Promise<OrderView> {
  if (order.qr?.payload) return order;
  const image = await fetch(`${signerUrl}${order.qr!.image!}`);
  const payload = decodeQrPng(Buffer.from(await image.arrayBuffer()));
  if (!payload) throw new Error(`order ${order.id}: its QR image reads as nothing`);
  return { ...order, qr: { ...order.qr, payload } };
}

export async function runStorm(options: StormOptions): Promise<StormResult> {
  const result: StormResult = { shown: new Map(), createRetries: 0, kills: 0 };
  const channels = options.channels ?? [1, 2, 3];
  let claimed = 0;
  let paid = 0;

  const create = async (): Promise<OrderView> => {
    for (;;) {
      const answer = await postJson<OrderView>(`${options.signerUrl}/api/orders`, randomOrder(channels)).catch(
        () => undefined,
      );
      if (answer?.status === 201) return answer.body;
      if (answer && answer.status < 500)
        throw new Error(`order refused: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      result.createRetries++;
      await sleep(50);
    }
  };

  const buyer = async () => {
    while (claimed < options.orders) {
      claimed++;
      const order = await create();
      result.shown.set(order.id, { order, payNo: await options.pay(await scanned(order, options.signerUrl)) });
      paid++;
    }
  };

  let stopped = false;
  const killer = async () => {
    for (const threshold of options.killAt) {
      while (paid < threshold && !stopped) await sleep(10);
      if (stopped) return;
      await options.crashAndRestart();
      result.kills++;
    }
  };

  const killing = killer();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, buyer));
  } finally {
    stopped = true;
    await killing;
  }
  return result;
}
