/** The merchant's console over HTTP, as its page uses it: the session cookie, the CSRF token, JSON. */
import { hashPassword } from '../../server/admin/password.ts';
import { requestJson, type JsonAnswer } from './http.ts';
import { watchSecret } from './key-watch.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

export const ADMIN_PASSWORD = 'console-test-password-42';
let hashed: Promise<string> | undefined;

/** The hash of ADMIN_PASSWORD, made once per file; both are watched for in every answer and log line. */
export async function adminPasswordHash(): Promise<string> {
  hashed ??= hashPassword(ADMIN_PASSWORD);
  const hash = await hashed;
  watchSecret(ADMIN_PASSWORD);
  watchSecret(hash);
  return hash;
}

/** A signer with the console on. */
export async function startConsoleStack(options: StackOptions = {}): Promise<Stack> {
  return startStack({ ...options, env: { ADMIN_PASSWORD_HASH: await adminPasswordHash(), ...options.env } });
}

export function signIn(url: string, password = ADMIN_PASSWORD, headers: Record<string, string> = {}) {
  return requestJson(`${url}/admin/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ password }),
  });
}

export interface ConsoleClient {
  cookie: string;
  csrf: string;
  get(path: string): Promise<JsonAnswer>;
  /** A change, with the session's CSRF token (and whatever `headers` add or override). */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonAnswer>;
  /** The answer's bytes as sent (`text` decodes them as a browser would, dropping a byte-order mark). */
  text(path: string): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }>;
}

/** Signs in and answers a client of /admin/api; paths are relative to it ("orders?page=2"). */
export async function consoleClient(url: string): Promise<ConsoleClient> {
  const answer = await signIn(url);
  if (answer.status !== 200) throw new Error(`sign-in: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0];
  const csrf: string = answer.body.csrf;
  const api = `${url}/admin/api/`;
  return {
    cookie,
    csrf,
    get: (path) => requestJson(api + path, { headers: { cookie } }),
    send: (method, path, body, headers = {}) =>
      requestJson(api + path, {
        method,
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    text: async (path) => {
      const response = await fetch(api + path, { headers: { cookie } });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, text: new TextDecoder().decode(bytes), bytes };
    },
  };
}
