/**
 * An HTTP fuzzer over every endpoint of a real signer and its sandbox: over 10,000 requests with
 * fast-check-made bodies, paths, content types and headers. No answer is a 5xx; every refusal of
 * the signer is a JSON error with a known code and its status; the notify answers `fail` to what
 * is not signed; nothing is created by a refused request; the server is healthy afterwards.
 * FUZZ_SEED=<n> replays a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { ERRORS, isErrorCode } from '../../shared/errors.ts';
import { createOrder, eventually, payAtSandbox, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { contentType, extraHeaders, formText, jsonText, method, pathSegment } from './inputs.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 16;
const NOTIFY_FIELDS = [
  'pay_id',
  'money',
  'price',
  'type',
  'pay_no',
  'param',
  'pay_time',
  'pay_tag',
  'tag',
  'chart',
  'status',
  'sign',
];
const CREATE_FIELDS = [
  'id',
  'pay_id',
  'type',
  'price',
  'param',
  'notify_url',
  'return_url',
  'page',
  'call',
  'outTime',
  'sign',
  'token',
  'order_id',
];

interface Probe {
  family: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

let stack: Stack;
let known: OrderView;

beforeAll(async () => {
  stack = await startStack({
    env: {
      ALLOWED_ORIGINS: 'https://shop.example.com',
      PRICE_MIN: '1',
      PRICE_MAX: '500',
      PRODUCTS: JSON.stringify({
        tea: { name: 'Green tea', price: '9.90' },
        book: { name: 'Field guide', price: '39.00' },
      }),
      API_SECRET: 'fuzz-api-secret-0123456789abcdef',
      RETURN_SUCCESS_URL: 'https://shop.example.com/thanks',
      // Hundreds of open orders of a few prices: a gateway that can tell them all apart, and a shop that takes its amounts.
      SANDBOX_MONEY_SPAN: '50',
      MONEY_TOLERANCE_BELOW: '50',
      MONEY_TOLERANCE_ABOVE: '50',
    },
  });
  known = await createOrder(stack.url, { price: '5.00' });
});
afterAll(() => stack.stop({ removeData: true }));

const query = (names: readonly string[]) =>
  fc.option(formText(names), { nil: undefined }).map((text) => (text === undefined ? '' : `?${text}`));
const withBody = (ct: fc.Arbitrary<string>, body: fc.Arbitrary<string>) =>
  fc.record({ contentType: ct, body, headers: extraHeaders }).map(({ contentType: type, body: text, headers }) => ({
    headers: { ...headers, 'content-type': type },
    body: text,
  }));
const jsonMostly = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: contentType },
);
const formMostly = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') },
  { weight: 1, arbitrary: contentType },
);

/** Each family: [how many requests, what they look like]. */
function families(): [number, fc.Arbitrary<Probe>][] {
  const orderId = fc.oneof(
    pathSegment,
    fc.constant(known.id),
    fc.constant(`${known.id}x`),
    fc.constant(known.id.toLowerCase()),
  );
  return [
    [
      4000,
      withBody(jsonMostly, jsonText).map((request) => ({
        family: 'create order',
        method: 'POST',
        path: '/api/orders',
        ...request,
      })),
    ],
    [
      1500,
      fc
        .tuple(method, orderId, fc.constantFrom('', '/events', '/qr.png', '/', '/x'), query(['a', 'id']), extraHeaders)
        .map(([verb, id, suffix, search, headers]) => ({
          family: 'read order',
          method: verb,
          path: `/api/orders/${id}${suffix}${search}`,
          headers,
        })),
    ],
    [
      2000,
      withBody(
        formMostly,
        formText(NOTIFY_FIELDS).map((text) => (text.includes('pay_id') ? text : `${text}&pay_id=${known.id}`)),
      ).map((request) => ({ family: 'notify', method: 'POST', path: '/api/notify', ...request })),
    ],
    [
      500,
      fc
        .tuple(query(NOTIFY_FIELDS), extraHeaders)
        .map(([search, headers]) => ({ family: 'return page', method: 'GET', path: `/api/return${search}`, headers })),
    ],
    [
      800,
      fc
        .tuple(
          method,
          fc.constantFrom(
            '/favicon.ico',
            '/api/return',
            '/api/config',
            '/healthz',
            '/',
            '/demo.js',
            '/codepay-checkout.js',
            '/codepay-checkout-flow.js',
            '/api',
            '/api/',
            '/api/orders',
            '/api/notify',
          ),
          query(['x']),
          extraHeaders,
        )
        .map(([verb, path, search, headers]) => ({
          family: 'fixed paths',
          method: verb,
          path: `${path}${search}`,
          headers,
        })),
    ],
    [
      800,
      fc
        .tuple(
          method,
          fc.constantFrom('/', '/api/', '/api/orders/'),
          fc.array(pathSegment, { minLength: 1, maxLength: 4 }),
          extraHeaders,
        )
        .map(([verb, prefix, segments, headers]) => ({
          family: 'random paths',
          method: verb,
          path: `${prefix}${segments.join('/')}`,
          headers,
        })),
    ],
    [
      1500,
      fc
        .tuple(
          fc.constantFrom(
            '/sandbox/creat_order/',
            '/sandbox/creat_order',
            '/sandbox/ispay',
            '/sandbox/_control/orders',
            '/sandbox/_control/payments',
            '/sandbox/_control/attempts',
            '/sandbox/_control/faults',
          ),
          query(CREATE_FIELDS),
        )
        .map(([path, search]) => ({ family: 'sandbox queries', method: 'GET', path: `${path}${search}`, headers: {} })),
    ],
    [
      600,
      fc
        .tuple(method, fc.constantFrom('/sandbox/pay/', '/sandbox/qr/', '/sandbox/'), pathSegment, extraHeaders)
        .map(([verb, prefix, id, headers]) => ({
          family: 'sandbox pages',
          method: verb,
          path: `${prefix}${id}${prefix.includes('qr') ? '.png' : ''}`,
          headers,
        })),
    ],
    [
      400,
      withBody(jsonMostly, jsonText).map((request) => ({
        family: 'sandbox control',
        method: 'POST',
        path: '/sandbox/_control/faults',
        ...request,
      })),
    ],
  ];
}

/** Why an answer breaks a promise, or undefined when it keeps them all. */
function violation(probe: Probe, status: number, type: string, text: string): string | undefined {
  const notify = probe.path.split('?')[0] === '/api/notify';
  if (status >= 500) return `HTTP ${status}`;
  if (probe.path.startsWith('/sandbox') || status < 400 || probe.method === 'HEAD') {
    return notify && probe.method === 'POST' && status < 300
      ? `an unsigned notify was answered ${status} ${text}`
      : undefined;
  }
  if (notify && status === 400 && text === 'fail') return undefined;
  if (!type.startsWith('application/json')) return `refusal ${status} is ${type}, not JSON: ${text.slice(0, 80)}`;
  let code: unknown;
  let message: unknown;
  try {
    ({ code, message } = JSON.parse(text).error);
  } catch {
    return `refusal ${status} is not {"error": {...}}: ${text.slice(0, 80)}`;
  }
  if (!isErrorCode(code)) return `unknown code ${String(code)}`;
  if (ERRORS[code].status !== status) return `${code} answered with ${status}, not ${ERRORS[code].status}`;
  if (typeof message !== 'string' || message === '') return `${code} without a message`;
  return undefined;
}

async function send(probe: Probe): Promise<{ status: number; violation?: string }> {
  const hasBody = probe.body !== undefined && probe.method !== 'GET' && probe.method !== 'HEAD';
  try {
    const response = await fetch(`${stack.url}${probe.path}`, {
      method: probe.method,
      headers: probe.headers,
      body: hasBody ? probe.body : undefined,
      redirect: 'manual',
    });
    // A stream of an order's events stays open: its first bytes are answer enough.
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status };
    }
    const text = await response.text();
    return {
      status: response.status,
      violation: violation(probe, response.status, response.headers.get('content-type') ?? '', text),
    };
  } catch (error) {
    return { status: 0, violation: `no answer: ${String((error as Error).cause ?? error)}` };
  }
}

function describe(probe: Probe): string {
  const body =
    probe.body === undefined ? '' : ` body(${probe.body.length}) ${JSON.stringify(probe.body.slice(0, 120))}`;
  return `${probe.family}: ${probe.method} ${probe.path.slice(0, 160)} ${JSON.stringify(probe.headers)}${body}`;
}

it('answers 10,000+ hostile requests over every endpoint without a 5xx, each refusal a JSON error with a code', async () => {
  const probes = families().flatMap(([count, arbitrary], index) =>
    fc.sample(arbitrary, { numRuns: count, seed: SEED + index }),
  );
  const before = await stack.signer.store.counts();
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  let created = 0;
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const probe = probes[next++];
      const answer = await send(probe);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (probe.family === 'create order' && answer.status === 201) created++;
      if (answer.violation) problems.push(`${answer.violation} <- ${describe(probe)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const serverErrors = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
  console.log(
    `fuzz (FUZZ_SEED=${SEED}): ${probes.length} requests, ${serverErrors} answered 5xx, ${created} valid orders created; by status: ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  expect(probes.length).toBeGreaterThanOrEqual(10_000);
  const kinds = new Map<string, string>();
  for (const problem of problems) kinds.set(problem.replace(/[0-9]+/g, '#').slice(0, 40), problem);
  expect([...kinds.values()].slice(0, 12), `${problems.length} broken promises (FUZZ_SEED=${SEED})`).toEqual([]);
  expect(stack.logs.filter((line) => line.includes('"unexpected error"'))).toEqual([]);

  // Nothing came of the refused requests: the orders are the 201s, and no unsigned notify was counted.
  const after = await stack.signer.store.counts();
  const total = (tally: Record<string, number>) => Object.values(tally).reduce((sum, count) => sum + count, 0);
  expect(total(after.orders) - total(before.orders)).toBe(created);
  expect(after.payments).toEqual(before.payments);
  expect((await requestJson<OrderView>(`${stack.url}/api/orders/${known.id}`)).body.status).toBe('pending');

  // And it still works: healthy, and a buyer can pay.
  expect((await requestJson(`${stack.url}/healthz`)).body).toMatchObject({ ok: true });
  const order = await createOrder(stack.url, { product: 'tea' });
  await payAtSandbox(order.qr!.payload!);
  await eventually(async () =>
    (await requestJson<OrderView>(`${stack.url}/api/orders/${order.id}`)).body.status === 'paid' ? true : undefined,
  );
}, 120_000);
