/**
 * `codepay-checkout password`: asks the console's password (twice on a terminal, without echo;
 * one line from standard input otherwise), and writes its scrypt hash as ADMIN_PASSWORD_HASH in
 * .env (created with mode 0600; the line replaced if there). The password itself goes nowhere.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hashPassword } from '../admin/password.ts';

export const MIN_PASSWORD_LENGTH = 10;
const SETTING = 'ADMIN_PASSWORD_HASH';

/** What was typed past the end of the last answer (pasted lines come in one chunk), for the next question. */
let typedAhead = '';

/** One line typed on the terminal, not echoed; undefined when the user cancels (Ctrl-C). */
function askHidden(prompt: string, write: (text: string) => void): Promise<string | undefined> {
  const input = process.stdin;
  return new Promise((done) => {
    let typed = '';
    write(prompt);
    const finish = (answer: string | undefined, rest: string) => {
      typedAhead = rest;
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      write('\n');
      done(answer);
    };
    const onData = (chunk: string) => {
      const chars = [...chunk];
      for (const [index, char] of chars.entries()) {
        if (char === '\r' || char === '\n')
          return finish(
            typed,
            chars
              .slice(index + 1)
              .join('')
              .replace(/^\n/, ''),
          );
        if (char === '\u0003') return finish(undefined, '');
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
    if (typedAhead) onData(typedAhead);
  });
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

/** .env with the setting's line replaced (or added), kept readable by its owner only. */
export function writeSetting(envFile: string, value: string): void {
  const line = `${SETTING}='${value}'`;
  const lines = existsSync(envFile) ? readFileSync(envFile, 'utf8').split('\n') : [];
  const at = lines.findIndex((entry) => new RegExp(`^\\s*(export\\s+)?${SETTING}\\s*=`).test(entry));
  if (at >= 0) lines[at] = line;
  else {
    if (lines.length > 0 && lines.at(-1) === '') lines.pop();
    lines.push(line, '');
  }
  writeFileSync(envFile, lines.join('\n'), { mode: 0o600 });
  chmodSync(envFile, 0o600);
}

export async function setPassword(
  cwd: string,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const write = (text: string) => process.stderr.write(text);
  let password: string;
  if (process.stdin.isTTY) {
    const first = await askHidden('New console password: ', write);
    const again = first === undefined ? undefined : await askHidden('Once more: ', write);
    if (first === undefined || again === undefined) {
      err('codepay-checkout: cancelled; nothing was changed');
      return 130;
    }
    if (again !== first) {
      err('codepay-checkout: the two passwords differ; nothing was changed');
      return 1;
    }
    password = first;
  } else password = await firstLineOfStdin();
  if (password.length < MIN_PASSWORD_LENGTH) {
    err(`codepay-checkout: the password must be at least ${MIN_PASSWORD_LENGTH} characters; nothing was changed`);
    return 2;
  }
  const envFile = resolve(cwd, '.env');
  writeSetting(envFile, await hashPassword(password));
  out(`${SETTING} written to ${envFile} (mode 0600). Restart the signer to use it; the console is at /admin.`);
  return 0;
}
