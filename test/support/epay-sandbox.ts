/**
 * Test support for the epay sandbox: a real one listening on 127.0.0.1 port 0 (served as
 * `GATEWAY=epay npm run sandbox` serves it), signed mapi.php and api.php calls, merchant notify
 * handlers that record the GETs they got, and our PHP merchant peer (test/peers/epay/).
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, withChain } from '../../server/http/app.ts';
import { createLogger } from '../../server/log.ts';
import { signed, type Params } from '../../server/epay/protocol.ts';
import {
  createEpaySandbox,
  type EpayNotifyAttempt,
  type EpaySandbox,
  type EpaySandboxOptions,
} from '../../server/sandbox/epay/index.ts';
import { postForm } from './http.ts';
import {
  closeServer,
  getJson,
  listen,
  postJson,
  startPhpHandler,
  stoppedAfterEach,
  waitFor,
  type PhpHandler,
} from './sandbox.ts';

export const PID = '1001';
export const KEY = 'Epay-test-key-0123456789abcdefgh';

export interface RunningEpay {
  /** The sandbox's base URL (basePath included): `${url}/mapi.php`. */
  url: string;
  sandbox: EpaySandbox;
  close(): Promise<void>;
}

export async function startEpaySandbox(options: Partial<EpaySandboxOptions> = {}): Promise<RunningEpay> {
  const sandbox = createEpaySandbox({ pid: PID, key: KEY, retrySchedule: [0.1, 0.1, 0.2], ...options });
  const log = createLogger({
    secrets: [KEY],
    write: (line) => void (line.includes('"level":"info"') || process.stderr.write(`${line}\n`)),
  });
  const server = createServer(createApp(withChain(log, [sandbox.router])).callback());
  const url = (await listen(server)) + sandbox.basePath;
  return {
    url,
    sandbox,
    async close() {
      await sandbox.close();
      await closeServer(server);
    },
  };
}

/** `epay()` starts a sandbox, `later(close)` registers anything else; all closed, newest first, after each test. */
export function closedAfterEach() {
  const later = stoppedAfterEach();
  const epay = async (options: Partial<EpaySandboxOptions> = {}): Promise<RunningEpay> => {
    const running = await startEpaySandbox(options);
    later(running.close);
    return running;
  };
  return { later, epay };
}

export type Loose = Record<string, unknown>;

export { getJson, postForm, postJson, waitFor };

/** A mapi.php order's fields, unsigned: a valid order unless `extra` changes it. */
export function orderFields(extra: Params = {}): Params {
  return {
    pid: PID,
    type: 'alipay',
    out_trade_no: `o-${Math.random().toString(36).slice(2, 10)}`,
    notify_url: 'http://127.0.0.1:1/notify',
    name: 'VIP会员',
    money: '1.00',
    clientip: '198.51.100.7',
    device: 'pc',
    ...extra,
  };
}

/** POSTs the fields, signed with `key`, to mapi.php; the parsed JSON. */
export async function mapi(gateway: RunningEpay, fields: Params, key = KEY): Promise<Loose> {
  const answer = await postForm(`${gateway.url}/mapi.php`, new URLSearchParams(signed(fields, key)).toString());
  return JSON.parse(answer.text) as Loose;
}

/** A created order: mapi.php's answer (code 1) with the out_trade_no it was made for. */
export async function createOrder(gateway: RunningEpay, extra: Params = {}): Promise<Loose & { out_trade_no: string }> {
  const fields = orderFields(extra);
  const answer = await mapi(gateway, fields);
  if (answer.code !== 1) throw new Error(`mapi.php: ${JSON.stringify(answer)}`);
  return { ...answer, out_trade_no: fields.out_trade_no };
}

export function payUrlOf(gateway: RunningEpay, tradeNo: unknown): string {
  return `${gateway.url}/pay/${String(tradeNo)}`;
}

/** Pays as a phone that decoded the QR does: POST to the pay page's URL. */
export async function pay(gateway: RunningEpay, tradeNo: unknown): Promise<Loose> {
  const response = await fetch(payUrlOf(gateway, tradeNo), { method: 'POST', headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`pay: HTTP ${response.status}`);
  return (await response.json()) as Loose;
}

export function queryOrder(gateway: RunningEpay, ref: Params, key = KEY): Promise<Loose> {
  return getJson(`${gateway.url}/api.php?${new URLSearchParams({ act: 'order', pid: PID, key, ...ref })}`);
}

export async function refund(gateway: RunningEpay, ref: Params, money: string, key = KEY): Promise<Loose> {
  const body = new URLSearchParams({ pid: PID, key, ...ref, money }).toString();
  return JSON.parse((await postForm(`${gateway.url}/api.php?act=refund`, body)).text) as Loose;
}

export function attempts(gateway: RunningEpay, query: string): Promise<EpayNotifyAttempt[]> {
  return getJson(`${gateway.url}/_control/attempts?${query}`) as unknown as Promise<EpayNotifyAttempt[]>;
}

export async function setFaults(gateway: RunningEpay, body: Loose): Promise<void> {
  const response = await postJson(`${gateway.url}/_control/faults`, body);
  if (response.status !== 200) throw new Error(`faults: HTTP ${response.status} ${await response.text()}`);
}

/** The order's notify state once it stops for good (delivered, gave-up, lost, no-url). */
export function settled(gateway: RunningEpay, tradeNo: unknown): Promise<string> {
  return waitFor(async () => {
    const [order] = (await getJson(`${gateway.url}/_control/orders?trade_no=${String(tradeNo)}`)) as unknown as {
      notify: string | null;
    }[];
    return order.notify === 'sending' ? undefined : (order.notify ?? undefined);
  }, 'the notify to settle');
}

export interface ReceivedGet {
  method: string;
  /** The path and query as received. */
  url: string;
  query: Record<string, string>;
}

export interface EpayMerchant {
  url: string;
  received: ReceivedGet[];
  close(): Promise<void>;
}

/** A merchant notify handler answering `answers[n]` to the n-th request (the last one after that). */
export async function startMerchant(answers: string[], path = '/notify'): Promise<EpayMerchant> {
  const received: ReceivedGet[] = [];
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    received.push({
      method: request.method ?? '',
      url,
      query: Object.fromEntries(new URL(url, 'http://merchant').searchParams),
    });
    response.end(answers[Math.min(received.length, answers.length) - 1]);
  });
  return { url: `${await listen(server)}${path}`, received, close: () => closeServer(server) };
}

const EPAY_PEERS = fileURLToPath(new URL('../peers/epay/', import.meta.url));

/** test/peers/epay/notify.php, a PHP merchant's notify handler: it logs each notify it verified, with its `cents`. */
export function startPhpEpayNotify(key = KEY): Promise<PhpHandler<Record<string, string | number>>> {
  return startPhpHandler(join(EPAY_PEERS, 'notify.php'), { EPAY_KEY: key });
}
