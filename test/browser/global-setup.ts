/**
 * Node side of the browser tests: the widget's bundle built, a real signer with the sandbox gateway
 * (a second one whose orders expire in seconds, and a third on a gateway over HTTP: a sandbox of its
 * own, as a real gateway) on 127.0.0.1 random ports. Tests get their URLs through `inject`.
 */
import type { TestProject } from 'vitest/node';
import { ensureWidgetBuilt } from '../../scripts/widget-build.ts';
import { startStack, startStackOnGateway, type Stack } from '../support/stack.ts';

const env = {
  ALLOWED_ORIGINS: '*',
  PRICE_MIN: '0.01',
  PRICE_MAX: '500',
  PRODUCTS: JSON.stringify({
    tea: { name: 'Green tea', price: '9.90' },
    notebook: { name: 'Notebook', price: '39.00' },
  }),
  GATEWAY_TIMEOUT_MS: '1500',
  // On the payment link pages (test/browser/links.test.ts).
  MERCHANT_NAME: '山间茶铺 Mountain Tea',
};

declare module 'vitest' {
  export interface ProvidedContext {
    signerUrl: string;
    /** The main signer's DATA_DIR, for the admin CLI. */
    signerDataDir: string;
    /** A signer whose orders live 3 s (ORDER_TTL), for expiry. */
    shortSignerUrl: string;
    /** A signer whose gateway is a remote one (not sandbox mode). */
    gatewaySignerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The demo test loads the built bundle from the signer, as a shop's page would (npm test's
  // pretest has built it already; a run of this project alone builds it here when it is stale).
  ensureWidgetBuilt();
  const stacks: Stack[] = [];
  const main = await startStack({ env });
  stacks.push(main);
  const short = await startStack({ env: { ...env, ORDER_TTL: '3' } });
  stacks.push(short);
  const remote = await startStackOnGateway(env);
  project.provide('signerUrl', main.url);
  project.provide('signerDataDir', main.dataDir);
  project.provide('shortSignerUrl', short.url);
  project.provide('gatewaySignerUrl', remote.stack.url);
  return async () => {
    await Promise.all([...stacks.map((stack) => stack.stop({ removeData: true })), remote.stop()]);
  };
}
