/** Debian's nginx running the shipped site config (deploy/nginx-codepay.conf) in front of given signers. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './http.ts';
import { freePort } from './processes.ts';

const EXAMPLE = fileURLToPath(new URL('../../deploy/nginx-codepay.conf', import.meta.url));

export interface Nginx {
  /** The proxy's base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  stop(): Promise<void>;
}

/**
 * The example as written, but listening on `port` of 127.0.0.1 (a free one by default) and proxying
 * to `upstreams` (host:port).
 */
export async function startNginx(upstreams: string[], port?: number): Promise<Nginx> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const site = readFileSync(EXAMPLE, 'utf8')
    .replace(
      / {4}server 127\.0\.0\.1:8787;\n {4}server 127\.0\.0\.1:8788;\n/,
      upstreams.map((upstream) => `    server ${upstream};\n`).join(''),
    )
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  if (!upstreams.every((upstream) => site.includes(`server ${upstream};`)))
    throw new Error("startNginx: the example's upstream block has changed");
  const prefix = mkdtempSync(join(tmpdir(), 'codepay-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  writeFileSync(join(prefix, 'site.conf'), site);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;\npid ${prefix}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n  include ${prefix}/site.conf;\n}\n`,
  );
  const nginx = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  nginx.stderr!.on('data', (chunk) => (errors += chunk));
  await eventually(
    async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
      return (
        (await fetch(`${url}/healthz`).then(
          (response) => response.ok,
          () => false,
        )) || undefined
      );
    },
    10_000,
    'nginx',
  );
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      if (nginx.exitCode === null) nginx.kill('SIGQUIT');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
