/** Node-project setup file: the merchant key watch over every test file (see key-watch.ts). */
import { afterAll, expect } from 'vitest';
import { leaksSoFar, watchFetch } from './key-watch.ts';

watchFetch();

afterAll(async () => {
  const { leaks } = await leaksSoFar();
  expect(leaks, 'the merchant key or API secret appeared in an HTTP answer, a log line or process output').toEqual([]);
});
