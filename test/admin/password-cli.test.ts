/**
 * `npm run admin -- password` as a merchant runs it: the password on standard input, the hash in
 * .env (0600), and a signer started from that .env lets the password in.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { signIn } from '../support/console.ts';
import { watchSecret } from '../support/key-watch.ts';
import { startStack } from '../support/stack.ts';

const CLI = fileURLToPath(new URL('../../bin/codepay-checkout.js', import.meta.url));
const PASSWORD = 'a long console password 7';
watchSecret(PASSWORD);

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'codepay-password-'));
  folders.push(made);
  return made;
}

/** Runs the CLI in `cwd` with `input` on its standard input (not a terminal). */
function password(cwd: string, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, 'password'], { cwd }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

/**
 * Runs the CLI on a terminal of its own (util-linux `script` gives it a pseudo-terminal) and types
 * each answer once its prompt is shown; answers all the terminal showed.
 */
function passwordOnTerminal(
  cwd: string,
  answers: string[],
  { pasted = false } = {},
): Promise<{ code: number; shown: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', `${process.execPath} ${CLI} password`, '/dev/null'], { cwd });
    let shown = '';
    let prompts = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      shown += chunk.toString('utf8');
      const seen = (shown.match(/password: |Once more: /g) ?? []).length;
      // Pasted: every answer at the first prompt, in one piece.
      if (pasted && seen > 0 && prompts === 0) child.stdin.write(answers.map((answer) => `${answer}\r`).join(''));
      if (pasted) prompts = answers.length;
      while (prompts < seen && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, shown }));
  });
}

describe('npm run admin -- password', () => {
  it('asks twice on a terminal without showing what is typed', async () => {
    const cwd = folder();
    const run = await passwordOnTerminal(cwd, [PASSWORD, PASSWORD]);
    expect(run.code).toBe(0);
    expect(run.shown).toContain('New console password: ');
    expect(run.shown).toContain('Once more: ');
    expect(run.shown).toContain('ADMIN_PASSWORD_HASH written');
    expect(run.shown).not.toContain(PASSWORD);
    expect(readFileSync(join(cwd, '.env'), 'utf8')).toMatch(/^ADMIN_PASSWORD_HASH='scrypt\$/);
  });

  it('takes both answers pasted at the first prompt', async () => {
    const cwd = folder();
    const run = await passwordOnTerminal(cwd, [PASSWORD, PASSWORD], { pasted: true });
    expect(run.code).toBe(0);
    expect(run.shown).not.toContain(PASSWORD);
    expect(readFileSync(join(cwd, '.env'), 'utf8')).toMatch(/^ADMIN_PASSWORD_HASH='scrypt\$/);
  });

  it('changes nothing when the two typed on a terminal differ', async () => {
    const cwd = folder();
    const run = await passwordOnTerminal(cwd, [PASSWORD, `${PASSWORD}!`]);
    expect(run.code).toBe(1);
    expect(run.shown).toContain('the two passwords differ');
    expect(() => statSync(join(cwd, '.env'))).toThrow();
  });

  it('writes only the scrypt hash to .env, mode 0600, and says so without the password', async () => {
    const cwd = folder();
    const run = await password(cwd, `${PASSWORD}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ADMIN_PASSWORD_HASH written');
    const env = readFileSync(join(cwd, '.env'), 'utf8');
    expect(env).toMatch(/^ADMIN_PASSWORD_HASH='scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}'\n$/);
    expect(statSync(join(cwd, '.env')).mode & 0o777).toBe(0o600);
    for (const text of [env, run.stdout, run.stderr]) expect(text).not.toContain(PASSWORD);
  });

  it('replaces the setting in an existing .env and keeps the other lines', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, '.env'), "CODEPAY_ID=20002\nADMIN_PASSWORD_HASH='old'\nPORT=9000\n", { mode: 0o644 });
    expect((await password(cwd, `${PASSWORD}\n`)).code).toBe(0);
    const lines = readFileSync(join(cwd, '.env'), 'utf8').split('\n');
    expect(lines[0]).toBe('CODEPAY_ID=20002');
    expect(lines[1]).toMatch(/^ADMIN_PASSWORD_HASH='scrypt\$/);
    expect(lines.slice(2)).toEqual(['PORT=9000', '']);
    expect(statSync(join(cwd, '.env')).mode & 0o777).toBe(0o600);
  });

  it('refuses a short password and changes nothing', async () => {
    const cwd = folder();
    const run = await password(cwd, 'short\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('at least 10 characters');
    expect(() => statSync(join(cwd, '.env'))).toThrow();
  });

  it('sets the password a signer started from that .env lets in', async () => {
    const cwd = folder();
    expect((await password(cwd, `${PASSWORD}\n`)).code).toBe(0);
    watchSecret(/'(.*)'/.exec(readFileSync(join(cwd, '.env'), 'utf8'))![1]);
    // The stack reads .env from its data folder, as the signer reads it from where it runs.
    const stack = await startStack({ dataDir: cwd });
    try {
      expect((await signIn(stack.url, PASSWORD)).status).toBe(200);
      expect((await signIn(stack.url, `${PASSWORD}x`)).status).toBe(401);
    } finally {
      await stack.stop();
    }
  });

  it('makes a signer refuse to start on a damaged hash, without showing it', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, '.env'), "ADMIN_PASSWORD_HASH='scrypt$1$1$1$bad$bad'\n");
    await expect(startStack({ dataDir: cwd })).rejects.toThrow(/^ADMIN_PASSWORD_HASH: is not a scrypt hash/);
  });
});
