import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { consoleStoreContract } from './console-contract.ts';
import { storeContract } from './contract.ts';

let file = '';
storeContract('SQLite', {
  async open() {
    file = join(mkdtempSync(join(tmpdir(), 'codepay-store-')), 'codepay.sqlite');
    return openSqliteStore(file);
  },
  async reopen() {
    return openSqliteStore(file);
  },
});

consoleStoreContract('SQLite', async () =>
  openSqliteStore(join(mkdtempSync(join(tmpdir(), 'codepay-store-')), 'codepay.sqlite')),
);
