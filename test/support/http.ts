/** Small HTTP helpers for tests that talk to a real signer and sandbox. */
import type { OrderView } from '../../shared/api.ts';

/** What a test reads an answer's JSON as unless it names a type: loosely, as a person reading it would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export interface JsonAnswer<T = Loose> {
  status: number;
  headers: Headers;
  body: T;
}

export async function requestJson<T = Loose>(url: string, init: RequestInit = {}): Promise<JsonAnswer<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the text itself
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export function postJson<T = Loose>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer<T>> {
  return requestJson<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export async function createOrder(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<OrderView> {
  const answer = await postJson<OrderView>(`${baseUrl}/api/orders`, body, headers);
  if (answer.status !== 201) throw new Error(`create order: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Pays at the sandbox the way a phone does: POST to the URL the QR code holds. */
export async function payAtSandbox(payUrl: string): Promise<{ pay_no: string; late: boolean; duplicate: boolean }> {
  const answer = await requestJson(payUrl, { method: 'POST', headers: { accept: 'application/json' } });
  if (answer.status !== 200) throw new Error(`pay: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export function postForm(url: string, body: string): Promise<{ status: number; text: string }> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then(
    async (response) => ({ status: response.status, text: await response.text() }),
  );
}

/** Polls until `check` returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
