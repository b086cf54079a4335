/**
 * Console sessions, kept in the signer's memory: the cookie carries a random token, the server
 * keeps only its SHA-256, the session's CSRF token and its times. A restart signs everyone out.
 * Hand-written rather than koa-session: that one signs its cookie with app.keys, which a signer
 * mounted in a merchant's Koa app must not set, and its server-side store would still be ours to write.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionRules {
  /** A session ends this long after sign-in… */
  maxAgeMs: number;
  /** …or this long after its last request, whichever comes first. */
  idleMs: number;
  /** Sessions held at once; the oldest goes first. */
  max: number;
}

export const DEFAULT_SESSIONS: SessionRules = { maxAgeMs: 8 * 3600_000, idleMs: 3600_000, max: 100 };

export interface Session {
  /** Who signed in: the console's one sign-in and the address it came from. */
  actor: string;
  csrf: string;
  signedInAt: number;
  lastSeenAt: number;
}

const token = () => randomBytes(32).toString('base64url');
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

export class Sessions {
  private readonly held = new Map<string, Session>();

  constructor(
    private readonly rules: SessionRules = DEFAULT_SESSIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session; answers the cookie's token (shown to no one but that browser). */
  open(actor: string): { token: string; session: Session } {
    const now = this.now();
    for (const [key, session] of this.held) if (!this.isLive(session, now)) this.held.delete(key);
    if (this.held.size >= this.rules.max) this.held.delete(this.held.keys().next().value!);
    const cookie = token();
    const session = { actor, csrf: token(), signedInAt: now, lastSeenAt: now };
    this.held.set(digest(cookie), session);
    return { token: cookie, session };
  }

  /** The live session the cookie names (and marks it seen), else undefined. */
  find(cookie: string | undefined): Session | undefined {
    if (!cookie) return undefined;
    const key = digest(cookie);
    const session = this.held.get(key);
    const now = this.now();
    if (!session) return undefined;
    if (!this.isLive(session, now)) {
      this.held.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  close(cookie: string): void {
    this.held.delete(digest(cookie));
  }

  /** When the session ends if nothing more is asked. */
  expiresAt(session: Session): number {
    return Math.min(session.signedInAt + this.rules.maxAgeMs, session.lastSeenAt + this.rules.idleMs);
  }

  private isLive(session: Session, now: number): boolean {
    return now < this.expiresAt(session);
  }
}

/** The CSRF token compared in constant time. */
export function csrfMatches(session: Session, sent: string | undefined): boolean {
  if (!sent) return false;
  const expected = Buffer.from(session.csrf);
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
