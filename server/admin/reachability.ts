/**
 * Whether the gateway answers at all: any HTTP answer from its address counts (its pages differ by
 * gateway, its order API needs a signed request). Asked at most every 30 s, whoever looks.
 */
export interface Reachability {
  reachable: boolean;
  checkedAt: number;
  /** How long the answer took; null without one. */
  latencyMs: number | null;
  /** Why not, in words that name no URL (the address may hold a merchant token). */
  error: string | null;
}

const FRESH_MS = 30_000;

export function reachabilityProbe(url: string, timeoutMs: number, now: () => number = Date.now) {
  let last: Promise<Reachability> | undefined;
  let lastAt = 0;
  const ask = async (): Promise<Reachability> => {
    const checkedAt = now();
    const started = performance.now();
    try {
      const answer = await fetch(new URL(url).origin, {
        method: 'HEAD',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await answer.body?.cancel();
      return { reachable: true, checkedAt, latencyMs: Math.round(performance.now() - started), error: null };
    } catch (error) {
      const name = error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : 'could not connect';
      return { reachable: false, checkedAt, latencyMs: null, error: name };
    }
  };
  return (): Promise<Reachability> => {
    if (!last || now() - lastAt > FRESH_MS) {
      lastAt = now();
      last = ask();
    }
    return last;
  };
}
