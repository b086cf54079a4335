import { describe, expect, it } from 'vitest';
import { Lockout } from './lockout.ts';
import { csrfMatches, Sessions } from './sessions.ts';

const HOUR = 3600_000;

describe('console sessions', () => {
  it('end an hour after the last request, and eight hours after sign-in whatever happens', () => {
    let now = 0;
    const sessions = new Sessions(undefined, () => now);
    const { token } = sessions.open('admin@1.2.3.4');
    now = 0.9 * HOUR;
    expect(sessions.find(token)).toBeDefined();
    now = 1.8 * HOUR;
    expect(sessions.find(token)).toBeDefined();
    now = 2.9 * HOUR;
    expect(sessions.find(token)).toBeUndefined();

    now = 0;
    const busy = sessions.open('admin@1.2.3.4');
    for (now = 0; now < 8 * HOUR; now += 0.5 * HOUR) expect(sessions.find(busy.token)).toBeDefined();
    expect(sessions.find(busy.token)).toBeUndefined();
  });

  it('keep no token: another cookie, a closed one, or none finds nothing', () => {
    const sessions = new Sessions();
    const { token, session } = sessions.open('admin@1.2.3.4');
    expect(sessions.find(`${token}x`)).toBeUndefined();
    expect(sessions.find(undefined)).toBeUndefined();
    expect(JSON.stringify([...(sessions as unknown as { held: Map<string, unknown> }).held])).not.toContain(token);
    sessions.close(token);
    expect(sessions.find(token)).toBeUndefined();
    expect(csrfMatches(session, session.csrf)).toBe(true);
    expect(csrfMatches(session, `${session.csrf}x`)).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
  });
});

describe('sign-in lockout', () => {
  it('lifts a lock after its time, and forgets failures older than the window', () => {
    let now = 0;
    const lockout = new Lockout({ perClient: 3, total: 100, windowMs: 60_000, lockMs: 120_000 }, () => now);
    lockout.failed('a');
    lockout.failed('a');
    now = 61_000;
    // The first two are out of the window: one more does not lock.
    lockout.failed('a');
    expect(lockout.waitFor('a')).toBe(0);
    lockout.failed('a');
    lockout.failed('a');
    expect(lockout.waitFor('a')).toBe(120);
    expect(lockout.waitFor('b')).toBe(0);
    now += 120_000;
    expect(lockout.waitFor('a')).toBe(0);
  });

  it('locks everyone after the total, and a right password clears only its own address', () => {
    let now = 0;
    const lockout = new Lockout({ perClient: 3, total: 4, windowMs: 60_000, lockMs: 60_000 }, () => now);
    lockout.failed('a');
    lockout.failed('a');
    lockout.succeeded('a');
    lockout.failed('a');
    lockout.failed('a');
    expect(lockout.waitFor('a')).toBe(60);
    expect(lockout.waitFor('someone else')).toBe(60);
    now = 60_000;
    expect(lockout.waitFor('someone else')).toBe(0);
  });
});
