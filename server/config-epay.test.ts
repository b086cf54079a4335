/** GATEWAY=epay: its settings, the sandbox's test merchant without EPAY_URL, one line per problem. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, gatewaySecrets, loadConfig } from './config.ts';
import { EPAY_SANDBOX_KEY, EPAY_SANDBOX_PID } from './sandbox/epay/credentials.ts';

const cwd = mkdtempSync(join(tmpdir(), 'codepay-config-epay-'));
const load = (env: Record<string, string>) => loadConfig(env, cwd);
const REAL = {
  GATEWAY: 'epay',
  EPAY_URL: 'https://pay.example.net/',
  EPAY_PID: '1001',
  EPAY_KEY: '89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i',
  PUBLIC_URL: 'https://shop.example.com',
  PRICE_MIN: '1',
  PRICE_MAX: '500',
};

function refusal(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('GATEWAY=epay', () => {
  it('without EPAY_URL runs the epay sandbox with its documented test merchant', () => {
    expect(load({ GATEWAY: 'epay' }).gateway).toEqual({
      provider: 'epay',
      kind: 'sandbox',
      merchantId: EPAY_SANDBOX_PID,
      merchantKey: EPAY_SANDBOX_KEY,
      retrySchedule: undefined,
    });
    expect(load({ GATEWAY: 'EPAY', SANDBOX_RETRY_SCHEDULE: '1,2' }).gateway).toMatchObject({ retrySchedule: [1, 2] });
    expect(load({ GATEWAY: 'epay', EPAY_PID: '77', EPAY_KEY: 'own-test-key' }).gateway).toMatchObject({
      kind: 'sandbox',
      merchantId: '77',
      merchantKey: 'own-test-key',
    });
  });

  it('with EPAY_URL talks to that site as the merchant EPAY_PID with EPAY_KEY', () => {
    expect(load(REAL).gateway).toEqual({
      provider: 'epay',
      kind: 'remote',
      url: 'https://pay.example.net/',
      merchantId: '1001',
      merchantKey: REAL.EPAY_KEY,
    });
    expect(load({ ...REAL, EPAY_URL: 'https://example.net/epay' }).gateway).toMatchObject({
      url: 'https://example.net/epay',
    });
  });

  it('refuses an incomplete or malformed setting with one line naming it', () => {
    const lines = [
      refusal({ ...REAL, EPAY_PID: '' }),
      refusal({ ...REAL, EPAY_KEY: '' }),
      refusal({ ...REAL, PUBLIC_URL: '' }),
      refusal({ ...REAL, EPAY_URL: 'ftp://pay.example.net/' }),
      refusal({ ...REAL, EPAY_URL: 'https://pay.example.net/mapi.php' }),
      refusal({ ...REAL, EPAY_URL: 'https://pay.example.net/?s=1' }),
      refusal({ ...REAL, EPAY_PID: 'abc' }),
      refusal({ ...REAL, EPAY_KEY: 'short' }),
      refusal({ ...REAL, GATEWAY: 'alipay' }),
    ];
    expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'EPAY_PID',
      'EPAY_KEY',
      'PUBLIC_URL',
      'EPAY_URL',
      'EPAY_URL',
      'EPAY_URL',
      'EPAY_PID',
      'EPAY_KEY',
      'GATEWAY',
    ]);
    expect(lines[0]).toBe('EPAY_PID: is required with a real epay site (EPAY_URL)');
    expect(lines.at(-1)).toMatch(/^GATEWAY: unknown gateway "alipay" \(use codepay, (.+, )?epay\b.*\)$/);
    for (const line of lines) {
      expect(line).not.toContain('\n');
      expect(line).not.toContain(REAL.EPAY_KEY);
    }
  });

  it('masks EPAY_KEY in the log', () => {
    expect(gatewaySecrets(load(REAL).gateway)).toContain(REAL.EPAY_KEY);
  });
});
