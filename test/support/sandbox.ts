/**
 * Test support for the sandbox gateway: a real sandbox listening on 127.0.0.1 port 0, our PHP peers
 * (test/peers/codepay/) run with `php`, and merchant notify handlers that record what they got.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach } from 'vitest';
import { PEERS_DIR, runPhp, startPhpServer } from './php.ts';
import { createApp, withChain } from '../../server/http/app.ts';
import { createLogger } from '../../server/log.ts';
import { createSandbox, type NotifyAttempt, type Sandbox, type SandboxOptions } from '../../server/sandbox/index.ts';

export const MERCHANT_ID = '20002';
export const MERCHANT_KEY = 'test-key-0123456789';
export const MERCHANT_TOKEN = 'test-token-abc';

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface RunningSandbox {
  /** The sandbox's base URL (basePath included). */
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** The sandbox served as `npm run sandbox` serves it; warnings and errors go to stderr, request lines nowhere. */
export function sandboxHandler(sandbox: Sandbox): ReturnType<ReturnType<typeof createApp>['callback']> {
  const log = createLogger({
    secrets: [MERCHANT_KEY],
    write: (line) => void (line.includes('"level":"info"') || process.stderr.write(`${line}\n`)),
  });
  return createApp(withChain(log, [sandbox.router])).callback();
}

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const sandbox = createSandbox({
    merchantId: MERCHANT_ID,
    merchantKey: MERCHANT_KEY,
    merchantToken: MERCHANT_TOKEN,
    retrySchedule: [0.1, 0.1, 0.2],
    notifyTimeoutMs: 2000,
    ...options,
  });
  const server = createServer(sandboxHandler(sandbox));
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

/** For a test file: `later(close)` registers something to stop; all of it is stopped, newest first, after each test. */
export function stoppedAfterEach(): (cleanup: () => Promise<void>) => void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => void cleanups.push(cleanup);
}

/** For a test file: `sandbox()` starts a sandbox, `later(close)` registers anything else; see stoppedAfterEach. */
export function closedAfterEach() {
  const later = stoppedAfterEach();
  const sandbox = async (options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> => {
    const running = await startSandbox(options);
    later(running.close);
    return running;
  };
  return { later, sandbox };
}

/** create_order.php, a merchant's site: prints the signed creat_order URL. */
export function phpCreateOrderUrl(gateway: string, extra: Record<string, string>, key = MERCHANT_KEY): string {
  const pairs = Object.entries(extra).map(([name, value]) => `${name}=${value}`);
  return runPhp('create_order.php', [MERCHANT_ID, key, gateway, ...pairs]);
}

/** sign_notify.php, playing the CodePay cloud: the urlencoded body with its sign. */
export function phpSignNotify(fields: Record<string, string>, key = MERCHANT_KEY): string {
  const pairs = Object.entries(fields).map(([name, value]) => `${name}=${value}`);
  return runPhp('sign_notify.php', [key, ...pairs]);
}

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  return (await response.json()) as Record<string, unknown>;
}

export async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Polls until `check` returns something other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function attempts(sandboxUrl: string, query: string): Promise<NotifyAttempt[]> {
  return getJson(`${sandboxUrl}/_control/attempts?${query}`) as unknown as Promise<NotifyAttempt[]>;
}

export interface ReceivedNotify {
  contentType: string | undefined;
  body: string;
  fields: Record<string, string>;
}

export interface MerchantHandler {
  url: string;
  received: ReceivedNotify[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A tiny merchant notify handler that answers `answers[n]` to the n-th notify (the last one after that). */
export async function startMerchant(answers: string[]): Promise<MerchantHandler> {
  const received: ReceivedNotify[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    received.push({
      contentType: request.headers['content-type'],
      body,
      fields: Object.fromEntries(new URLSearchParams(body)),
    });
    response.end(answers[Math.min(received.length, answers.length) - 1]);
  });
  const url = `${await listen(server)}/notify`;
  return { url, received, close: () => closeServer(server) };
}

export interface PhpHandler<Logged = Record<string, string>> {
  url: string;
  /** The notifies the script verified, as it logged them. */
  verified(): Logged[];
  close(): Promise<void>;
}

/**
 * A PHP merchant's notify handler (a peer's notify.php) under `php -S` on a port PHP picks: it
 * appends each notify it verified to NOTIFY_LOG as one JSON line. `env` gives it its key.
 */
export async function startPhpHandler<Logged>(
  script: string,
  env: Record<string, string>,
): Promise<PhpHandler<Logged>> {
  const log = join(mkdtempSync(join(tmpdir(), 'sandbox-notify-')), 'notify.log');
  const server = await startPhpServer(script, { ...env, NOTIFY_LOG: log });
  return {
    url: `${server.url}/${basename(script)}`,
    verified: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Logged)
        : [],
    close: server.close,
  };
}

/** notify.php, a CodePay merchant's notify handler. */
export function startPhpNotify(key = MERCHANT_KEY): Promise<PhpHandler> {
  return startPhpHandler(join(PEERS_DIR, 'notify.php'), { CODEPAY_KEY: key });
}
