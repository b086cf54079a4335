/**
 * Who may use the console: sign-in (a password checked against its scrypt hash, with a lockout),
 * the session cookie, CSRF on every change, sign-out. The routes under /admin/api mount `guard`.
 */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { ApiError } from '../errors.ts';
import { jsonBody } from '../http/bodies.ts';
import type { Lockout } from './lockout.ts';
import { verifyPassword, type PasswordHash } from './password.ts';
import { csrfMatches, type Session, type Sessions } from './sessions.ts';

export const COOKIE = 'codepay_admin';

export interface AccessDeps {
  passwordHash: PasswordHash;
  sessions: Sessions;
  lockout: Lockout;
  /** The client's address as the signer counts it (trusted proxies applied). */
  clientOf(ctx: Context): string;
  /** The signer's public origin (PUBLIC_URL's), which a browser's Origin must equal; the Host it was asked by also counts. */
  publicOrigin: string;
  /** PUBLIC_URL is https: the cookie is Secure even when the proxy in front says nothing. */
  publicHttps: boolean;
  /** Where the cookie is sent: <base>/admin. */
  cookiePath: string;
  /** Records sign-in and sign-out like the other actions. */
  record(ctx: Context, action: string, result: 'ok' | 'refused', detail: string): Promise<void>;
}

/** Password checks at once: each takes 32 MiB and a tenth of a second of a core. */
const MAX_CHECKS = 4;

const refusedOrigin = () => new ApiError('CSRF_REFUSED', 'This request came from another site.');

function isOwnOrigin(ctx: Context, deps: AccessDeps): boolean {
  const origin = ctx.get('origin');
  return !origin || origin === deps.publicOrigin || origin === `${ctx.protocol}://${ctx.host}`;
}

function cookie(ctx: Context, deps: AccessDeps, value: string, maxAgeSeconds?: number): string {
  const parts = [`${COOKIE}=${value}`, `Path=${deps.cookiePath}`, 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (deps.publicHttps || ctx.protocol === 'https') parts.push('Secure');
  return parts.join('; ');
}

/** The cookie as sent, read unsigned: a merchant's app.keys must not change what it is. */
const cookieOf = (ctx: Context) => ctx.cookies.get(COOKIE, { signed: false });

function sessionAnswer(deps: AccessDeps, session: Session) {
  return { csrf: session.csrf, expiresAt: deps.sessions.expiresAt(session) };
}

/** Needs a live session; a change (any method but GET and HEAD) also needs its CSRF token and our origin. */
export function guard(deps: AccessDeps): Middleware {
  return (ctx, next) => {
    const session = deps.sessions.find(cookieOf(ctx));
    if (!session) throw new ApiError('NOT_SIGNED_IN', 'Sign in to the console first.');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      if (!isOwnOrigin(ctx, deps)) throw refusedOrigin();
      if (!csrfMatches(session, ctx.get('x-csrf-token') || undefined)) {
        throw new ApiError('CSRF_REFUSED', 'The X-CSRF-Token header is missing or not this session’s.');
      }
    }
    ctx.state.session = session;
    return next();
  };
}

export function registerSessionRoutes(router: Router, deps: AccessDeps): void {
  let checking = 0;
  const checkingClients = new Set<string>();

  router.post('/session', jsonBody(), async (ctx) => {
    if (!isOwnOrigin(ctx, deps)) throw refusedOrigin();
    const client = deps.clientOf(ctx);
    const wait = deps.lockout.waitFor(client);
    // One check at a time per address: parallel tries would all start before the first failure counts.
    if (wait > 0 || checkingClients.has(client)) {
      const message = 'Too many wrong passwords. Please wait before trying again.';
      throw new ApiError('LOCKED_OUT', message, { retryAfterSeconds: Math.max(wait, 1) });
    }
    if (checking >= MAX_CHECKS) {
      throw new ApiError('SERVER_BUSY', 'Too many sign-ins at once. Please try again.', { retryAfterSeconds: 1 });
    }
    const { password } = (ctx.request.body ?? {}) as { password?: unknown };
    checking++;
    checkingClients.add(client);
    let right: boolean;
    try {
      right =
        typeof password === 'string' && password.length <= 1024 && (await verifyPassword(password, deps.passwordHash));
    } finally {
      checking--;
      checkingClients.delete(client);
    }
    ctx.set('Cache-Control', 'no-store');
    if (!right) {
      deps.lockout.failed(client);
      ctx.state.actor = `admin@${client}`;
      await deps.record(ctx, 'signin', 'refused', 'wrong password');
      throw new ApiError('WRONG_PASSWORD', 'That is not the console’s password.');
    }
    deps.lockout.succeeded(client);
    // A new sign-in from this browser ends the session its old cookie named.
    const previous = cookieOf(ctx);
    if (previous) deps.sessions.close(previous);
    const { token, session } = deps.sessions.open(`admin@${client}`);
    ctx.state.session = session;
    await deps.record(ctx, 'signin', 'ok', 'signed in');
    ctx.append('Set-Cookie', cookie(ctx, deps, token));
    ctx.body = sessionAnswer(deps, session);
  });

  router.get('/session', (ctx) => {
    const session = deps.sessions.find(cookieOf(ctx));
    if (!session) throw new ApiError('NOT_SIGNED_IN', 'Sign in to the console first.');
    ctx.body = sessionAnswer(deps, session);
  });

  router.delete('/session', guard(deps), async (ctx) => {
    deps.sessions.close(cookieOf(ctx)!);
    await deps.record(ctx, 'signout', 'ok', 'signed out');
    ctx.append('Set-Cookie', cookie(ctx, deps, '', 0));
    ctx.status = 204;
  });
}
