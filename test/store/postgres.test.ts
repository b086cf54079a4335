import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { startPostgres, type Postgres } from '../support/postgres.ts';
import { consoleStoreContract } from './console-contract.ts';
import { storeContract } from './contract.ts';

let server: Postgres;
let url = '';
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());

storeContract('PostgreSQL', {
  async open() {
    url = await server.createDatabase();
    return openPostgresStore(url);
  },
  reopen: () => openPostgresStore(url),
});

consoleStoreContract('PostgreSQL', async () => openPostgresStore(await server.createDatabase()));
