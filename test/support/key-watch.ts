/**
 * Watches the whole node suite for the merchant key: every HTTP answer a test's fetch receives,
 * every log line of a stack and every line a child process prints is looked at as it goes by.
 * The keys of the stacks and processes tests start are added as they start. A leak fails the
 * test file it happened in (see key-watch-setup.ts).
 */
import { SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';
import { MERCHANT_KEY } from './sandbox.ts';

const secrets = new Set<string>([SANDBOX_MERCHANT_KEY, MERCHANT_KEY]);
const leaks: string[] = [];
const pending = new Set<Promise<void>>();
let looked = 0;

/** A secret to look for from now on (a stack's CODEPAY_KEY or API_SECRET). */
export function watchSecret(secret: string | null | undefined): void {
  if (secret) secrets.add(secret);
}

/** Looks at `text`; `where` says where it was seen, for the report. */
export function witness(text: string, where: string): void {
  looked++;
  for (const secret of secrets) {
    if (text.includes(secret))
      leaks.push(
        `${where}: ${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret) + 20).replace(secret, '«KEY»')}`,
      );
  }
}

/** Wraps fetch so that every answer's headers and (textual) body are looked at, without delaying the caller. */
export function watchFetch(): void {
  // Each test file wraps the unwatched fetch again, so that its own leaks are its own.
  const original = (globalThis.fetch as { unwatched?: typeof fetch }).unwatched ?? globalThis.fetch;
  const watched = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await original(input, init);
    const where = `answer from ${String(input instanceof Request ? input.url : input).slice(0, 120)}`;
    witness(JSON.stringify([...response.headers]), where);
    const type = response.headers.get('content-type') ?? '';
    // An event stream may never end: its events are read by the tests that open one.
    if (!type.startsWith('text/event-stream') && response.body) {
      const reading = response
        .clone()
        .text()
        .then(
          (text) => witness(text, where),
          () => undefined,
        )
        .finally(() => pending.delete(reading));
      pending.add(reading);
    }
    return response;
  };
  globalThis.fetch = Object.assign(watched, { unwatched: original });
}

/** What leaked so far, once the answers still being read have been looked at. */
export async function leaksSoFar(): Promise<{ leaks: string[]; looked: number }> {
  await Promise.allSettled([...pending]);
  return { leaks: [...leaks], looked };
}
