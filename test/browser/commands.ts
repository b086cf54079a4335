/**
 * Browser commands: they run in Node, for what a page can't do itself: talk to the sandbox's
 * control and payment routes (no CORS there), and cut the network the way a proxy would.
 */
import type { BrowserCommand } from 'vitest/node';

interface NodeResponse {
  status: number;
  body: string;
}

/** fetch() from Node. */
const nodeFetch: BrowserCommand<[url: string, init?: { method?: string; body?: string; accept?: string }]> = async (
  _context,
  url,
  init = {},
) => {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    body: init.body,
    headers: { accept: init.accept ?? 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  return { status: response.status, body: await response.text() } satisfies NodeResponse;
};

/** Makes every request whose URL matches `pattern` (a RegExp source) fail, or lets them through again. */
const blockRequests: BrowserCommand<[pattern: string | null]> = async (context, pattern) => {
  const page = (context as unknown as { page: import('playwright-core').Page }).page;
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  if (pattern) await page.route(new RegExp(pattern), (route) => route.abort('connectionreset'));
};

export const commands = { nodeFetch, blockRequests };

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeFetch(url: string, init?: { method?: string; body?: string; accept?: string }): Promise<NodeResponse>;
    blockRequests(pattern: string | null): Promise<void>;
  }
}
