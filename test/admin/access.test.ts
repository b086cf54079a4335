/** The console's door: sign-in, the cookie, lockout, CSRF, sign-out, and the console off. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '../support/http.ts';
import { ADMIN_PASSWORD, adminPasswordHash, consoleClient, signIn, startConsoleStack } from '../support/console.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(() => stack.stop({ removeData: true }));

/** Each test signs in from an address of its own (a trusted proxy says which), so lockouts stay apart. */
let nextAddress = 1;
const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` });

describe('sign-in', () => {
  it('answers a CSRF token and an HttpOnly, SameSite=Strict session cookie for the console only', async () => {
    const answer = await signIn(stack.url);
    expect(answer.status).toBe(200);
    expect(answer.body.csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^codepay_admin=[A-Za-z0-9_-]{40,};/);
    const flags = cookie.split(';').map((part) => part.trim());
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/admin']));
    // Plain http to the signer, no https PUBLIC_URL: a Secure cookie would never come back.
    expect(flags).not.toContain('Secure');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const client = await consoleClient(stack.url);
    expect((await client.get('session')).body).toMatchObject({ csrf: client.csrf });
    expect((await client.get('overview')).status).toBe(200);
  });

  it('refuses a wrong password, and any request without a session', async () => {
    const wrong = await signIn(stack.url, 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('WRONG_PASSWORD');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    for (const path of ['session', 'overview', 'orders', 'health', 'stream']) {
      const answer = await requestJson(`${stack.url}/admin/api/${path}`);
      expect([path, answer.status, answer.body.error.code]).toEqual([path, 401, 'NOT_SIGNED_IN']);
    }
    const forged = await requestJson(`${stack.url}/admin/api/overview`, {
      headers: { cookie: 'codepay_admin=forged' },
    });
    expect(forged.status).toBe(401);
  });

  it('answers the refusal in Chinese when the browser asks for it', async () => {
    const wrong = await signIn(stack.url, 'not the password', { 'accept-language': 'zh-CN' });
    expect(wrong.body.error.message).toBe('密码错误。');
    const traditional = await signIn(stack.url, 'not the password', { 'accept-language': 'zh-TW' });
    expect(traditional.body.error.message).toBe('密碼錯誤。');
  });
});

describe('lockout', () => {
  it('locks an address after five wrong passwords, even against the right one, and not another address', async () => {
    const locked = await startConsoleStack({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const address = fromNewAddress();
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await signIn(locked.url, `guess ${attempt}`, address)).status).toBe(401);
      }
      const refused = await signIn(locked.url, ADMIN_PASSWORD, address);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('LOCKED_OUT');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
      expect(refused.headers.get('set-cookie')).toBeNull();
      expect((await signIn(locked.url, ADMIN_PASSWORD, fromNewAddress())).status).toBe(200);
    } finally {
      await locked.stop({ removeData: true });
    }
  });

  it('locks everyone after fifty wrong passwords from many addresses', async () => {
    const locked = await startConsoleStack({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      // Two guesses each from 25 addresses: none is locked by itself.
      for (let address = 0; address < 25; address++) {
        const from = fromNewAddress();
        const answers = await Promise.all([signIn(locked.url, 'a', from), signIn(locked.url, 'b', from)]);
        // Parallel tries from one address wait their turn (429): a guess is never checked unseen.
        for (const answer of answers) {
          if (answer.status === 429) expect((await signIn(locked.url, 'again', from)).status).toBe(401);
          else expect(answer.status).toBe(401);
        }
      }
      const refused = await signIn(locked.url, ADMIN_PASSWORD, fromNewAddress());
      expect([refused.status, refused.body.error.code]).toEqual([429, 'LOCKED_OUT']);
    } finally {
      await locked.stop({ removeData: true });
    }
    // Fifty scrypt checks, each a tenth of a second or more on a busy machine.
  }, 120_000);
});

describe('CSRF', () => {
  it('refuses a change without the token, with another token, or from another origin', async () => {
    const client = await consoleClient(stack.url);
    const noToken = await client.send('POST', 'orders/x/reconcile', {}, { 'x-csrf-token': '' });
    const wrongToken = await client.send('POST', 'orders/x/reconcile', {}, { 'x-csrf-token': `${client.csrf}x` });
    const other = await consoleClient(stack.url);
    const othersToken = await client.send('POST', 'orders/x/reconcile', {}, { 'x-csrf-token': other.csrf });
    const foreign = await client.send('POST', 'orders/x/reconcile', {}, { origin: 'https://evil.example' });
    for (const answer of [noToken, wrongToken, othersToken, foreign]) {
      expect([answer.status, answer.body.error.code]).toEqual([403, 'CSRF_REFUSED']);
    }
    // The same request with the token from the signer's own origin goes through (to the order's 404).
    const own = await client.send('POST', 'orders/x/reconcile', {}, { origin: stack.url });
    expect([own.status, own.body.error.code]).toEqual([404, 'ORDER_NOT_FOUND']);
  });

  it('refuses a sign-in posted from another origin', async () => {
    const answer = await signIn(stack.url, ADMIN_PASSWORD, { origin: 'https://evil.example' });
    expect([answer.status, answer.body.error.code]).toEqual([403, 'CSRF_REFUSED']);
  });
});

describe('sign-out', () => {
  it('ends the session on the server and clears the cookie', async () => {
    const client = await consoleClient(stack.url);
    const out = await client.send('DELETE', 'session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^codepay_admin=;.*Max-Age=0/);
    // The old cookie, sent again (as a copied one would be), opens nothing.
    expect((await client.get('overview')).status).toBe(401);
    expect((await client.get('session')).status).toBe(401);
  });

  it('a new sign-in from the same browser ends its old session', async () => {
    const client = await consoleClient(stack.url);
    const again = await signIn(stack.url, ADMIN_PASSWORD, { cookie: client.cookie });
    expect(again.status).toBe(200);
    expect((await client.get('session')).status).toBe(401);
    const fresh = again.headers.get('set-cookie')!.split(';')[0];
    expect((await requestJson(`${stack.url}/admin/api/session`, { headers: { cookie: fresh } })).status).toBe(200);
  });

  it('needs the CSRF token too', async () => {
    const client = await consoleClient(stack.url);
    expect((await client.send('DELETE', 'session', undefined, { 'x-csrf-token': 'nope' })).status).toBe(403);
    expect((await client.get('session')).status).toBe(200);
  });
});

describe('the cookie behind https', () => {
  it('is Secure when PUBLIC_URL is https', async () => {
    const https = await startConsoleStack({ env: { PUBLIC_URL: 'https://shop.example' } });
    try {
      const answer = await signIn(https.url, ADMIN_PASSWORD, { origin: 'https://shop.example' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await https.stop({ removeData: true });
    }
  });

  it('is Secure when a trusted proxy says the request came over https', async () => {
    const proxied = await startConsoleStack({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const answer = await signIn(proxied.url, ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(answer.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await proxied.stop({ removeData: true });
    }
  });
});

describe('the console off', () => {
  it('answers CONSOLE_OFF on its API and a page that says how to turn it on', async () => {
    const off = await startStack();
    try {
      const api = await signIn(off.url);
      expect([api.status, api.body.error.code]).toEqual([404, 'CONSOLE_OFF']);
      const overview = await requestJson(`${off.url}/admin/api/overview`);
      expect([overview.status, overview.body.error.code]).toEqual([404, 'CONSOLE_OFF']);
      const page = await fetch(`${off.url}/admin/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('npm run admin -- password');
      expect((await fetch(`${off.url}/admin`, { redirect: 'manual' })).headers.get('location')).toBe('/admin/');
    } finally {
      await off.stop({ removeData: true });
    }
  });

  it('serves the console with its strict policy', async () => {
    const page = await fetch(`${stack.url}/admin/`);
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('health', () => {
  it('tells the gateway, the outbox, the watchers and the database, and no secret', async () => {
    const client = await consoleClient(stack.url);
    const health = await client.get('health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      gateway: { kind: 'sandbox', reachable: true },
      database: 'sqlite',
      outbox: { backlog: 0 },
    });
    expect(typeof health.body.watchers).toBe('number');
    const text = JSON.stringify(health.body);
    const { merchantKey, merchantToken } = stack.config.gateway;
    for (const secret of [merchantKey, merchantToken, ADMIN_PASSWORD, await adminPasswordHash(), client.csrf]) {
      if (secret) expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(stack.dataDir);
  });
});
