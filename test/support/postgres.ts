/**
 * A private PostgreSQL server for tests: Debian's binaries (apt-get install postgresql), a fresh
 * cluster in a temporary folder, listening on 127.0.0.1 on a free port, stopped afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './processes.ts';

export interface Postgres {
  /** A connection URL for a new, empty database. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (the .ci/run script does)');
  return join(root, version, 'bin');
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binaries();
  const folder = mkdtempSync(join(tmpdir(), 'codepay-pg-'));
  // PostgreSQL refuses to run as root: as root, run it as Debian's postgres user.
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (user) chownSync(folder, user.uid, user.gid);
  const data = join(folder, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'codepay', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    stdio: 'pipe',
    ...user,
  });
  const port = await freePort();
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'];
  const server = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', folder, ...settings], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...user,
  });
  let log = '';
  server.stderr.on('data', (chunk) => (log += chunk));
  const base = `postgres://codepay@127.0.0.1:${port}`;
  let admin: pg.Client;
  for (let attempt = 0; ; attempt++) {
    // A client that failed to connect cannot be used again: a new one each time.
    admin = new pg.Client({ connectionString: `${base}/postgres` });
    try {
      await admin.connect();
      break;
    } catch (error) {
      if (server.exitCode !== null || attempt > 200) {
        throw new Error(`PostgreSQL did not start: ${log || error}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  let databases = 0;
  return {
    async createDatabase() {
      const name = `codepay_${process.pid}_${databases++}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return `${base}/${name}`;
    },
    async stop() {
      await admin.end();
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
