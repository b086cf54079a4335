/**
 * Browser commands for payment links: a link opened in a tab of its own, as a buyer's browser opens
 * it (its language, its light or dark scheme), paid with the sandbox's desktop action; and the
 * admin CLI run against the signer's database, as the merchant would.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type {} from '@vitest/browser-playwright'; // types `context.page` as Playwright's Page
import type { Page } from 'playwright-core';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';

/** axe-core's script, read when first needed (the test configuration loads this module for every run). */
let axeSource: string | undefined;
export const axeScript = () =>
  (axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

export interface LinkRun {
  status: number;
  csp: string | null;
  /** securitypolicyviolation events: the directive and what it blocked. */
  violations: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  lang: string;
  /** The widget's `locale` attribute. */
  locale: string;
  /** The page's own text (the header, outside the widget). */
  header: string;
  /** The widget's text when it is ready, and once paid. */
  idleText: string;
  paidText: string;
  orderId: string;
  /** axe-core's violations on the whole page, the widget's shadow DOM included. */
  axe: { idle: string[]; pending: string[]; paid: string[] };
}

interface LinkOptions {
  language: string;
  scheme: 'light' | 'dark';
  /** Where to save the screenshots: `<prefix>-idle.png`, `-pending.png`, `-paid.png` (or `<prefix>.png`). */
  screenshots: string;
  width?: number;
}

interface Tab {
  tab: Page;
  errors: string[];
  violations(): Promise<string[]>;
  /** axe-core's violations on the whole page, the widget's shadow DOM included. */
  axe(): Promise<string[]>;
}

/** A tab as the buyer's browser: its size, scheme and language; policy violations and errors recorded. */
async function buyerTab(context: BrowserCommandContext, options: LinkOptions): Promise<Tab> {
  const tab = await context.context.newPage();
  const errors: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`);
  });
  tab.on('pageerror', (error) => errors.push(error.message));
  // Through the DevTools protocol, not a script of the page's: the policy does not apply to it.
  await tab.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile})`),
    );
  });
  await tab.setViewportSize({ width: options.width ?? 390, height: 844 });
  await tab.emulateMedia({ colorScheme: options.scheme });
  await tab.setExtraHTTPHeaders({ 'accept-language': options.language });
  return {
    tab,
    errors,
    violations: () => tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    async axe() {
      await tab.evaluate(axeScript());
      return tab.evaluate(async () => {
        const results = await (
          window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }
        ).axe.run(document, { resultTypes: ['violations'] });
        return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
    },
  };
}

const runPaymentLink: BrowserCommand<[url: string, options: LinkOptions]> = async (context, url, options) => {
  const { tab, errors, violations, axe } = await buyerTab(context, options);
  try {
    const response = await tab.goto(url);
    const checkout = tab.locator('codepay-checkout');
    await tab.locator('codepay-checkout[status=idle] >> [part~=pay-button]').waitFor();
    const read = () => checkout.locator('[part=base]').innerText();
    const idleText = await read();
    const idleAxe = await axe();
    await tab.screenshot({ path: `${options.screenshots}-idle.png`, fullPage: true });
    const order = tab.evaluate(
      () =>
        new Promise<{ id: string }>((resolve) =>
          document.addEventListener('codepay-order', (event) => resolve((event as CustomEvent).detail), { once: true }),
        ),
    );
    await checkout.locator('[part~=pay-button]').click();
    await tab.locator('codepay-checkout[status=pending] >> [part~=sandbox-pay-button]').waitFor();
    const pendingAxe = await axe();
    await tab.screenshot({ path: `${options.screenshots}-pending.png`, fullPage: true });
    await checkout.locator('[part~=sandbox-pay-button]').click();
    await tab.locator('codepay-checkout[status=paid]').waitFor();
    const paidAxe = await axe();
    await tab.screenshot({ path: `${options.screenshots}-paid.png`, fullPage: true });
    return {
      status: response?.status() ?? 0,
      csp: response?.headers()['content-security-policy'] ?? null,
      violations: await violations(),
      errors,
      lang: (await tab.locator('html').getAttribute('lang')) ?? '',
      locale: (await checkout.getAttribute('locale')) ?? '',
      header: await tab.locator('header').innerText(),
      idleText,
      paidText: await read(),
      orderId: (await order).id,
      axe: { idle: idleAxe, pending: pendingAxe, paid: paidAxe },
    } satisfies LinkRun;
  } finally {
    await tab.close();
  }
};

interface AxeResults {
  violations: { id: string; nodes: { target: string[] }[] }[];
}

/** `npm run admin -- <args>` on the signer's database: its exit code and output. */
const adminCli: BrowserCommand<[env: Record<string, string>, args: string[]]> = (_context, env, args) =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/codepay-checkout.js', ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });

export interface UnusableLinkRun {
  status: number;
  violations: string[];
  errors: string[];
  lang: string;
  text: string;
  axe: string[];
}

/** A link that can't be paid: the page saying why, with its screenshot at `<prefix>.png`. */
const openUnusableLink: BrowserCommand<[url: string, options: LinkOptions]> = async (context, url, options) => {
  const { tab, errors, violations, axe } = await buyerTab(context, options);
  try {
    const response = await tab.goto(url);
    await tab.screenshot({ path: `${options.screenshots}.png`, fullPage: true });
    return {
      status: response?.status() ?? 0,
      violations: await violations(),
      errors,
      lang: (await tab.locator('html').getAttribute('lang')) ?? '',
      text: await tab.locator('main').innerText(),
      axe: await axe(),
    } satisfies UnusableLinkRun;
  } finally {
    await tab.close();
  }
};

export const linkCommands = { runPaymentLink, openUnusableLink, adminCli };

declare module 'vitest/browser' {
  interface BrowserCommands {
    runPaymentLink(url: string, options: LinkOptions): Promise<LinkRun>;
    openUnusableLink(url: string, options: LinkOptions): Promise<UnusableLinkRun>;
    adminCli(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  }
}
