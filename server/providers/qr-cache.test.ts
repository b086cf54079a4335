import { describe, expect, it } from 'vitest';
import { QrImageCache, type QrImage } from './qr-cache.ts';

function counting(bytes = 10) {
  const fetched: string[] = [];
  const fetch = async (url: string): Promise<QrImage | undefined> => {
    fetched.push(url);
    return url.includes('missing') ? undefined : { body: Buffer.alloc(bytes), contentType: 'image/png' };
  };
  return { fetched, fetch };
}

describe('QR image cache', () => {
  it('fetches an open order’s image once, shared by requests at once, and again once the order expired', async () => {
    let now = 1_000;
    const { fetched, fetch } = counting();
    const cache = new QrImageCache({ fetch, now: () => now });
    await Promise.all([cache.get('a', 'u/a', 2_000), cache.get('a', 'u/a', 2_000)]);
    await cache.get('a', 'u/a', 2_000);
    expect(fetched).toEqual(['u/a']);
    now = 2_000;
    await cache.get('a', 'u/a', 2_000);
    expect(fetched).toEqual(['u/a', 'u/a']);
    expect(cache.size).toBe(0);
  });

  it('keeps no failed fetch, and no image of an order without an expiry', async () => {
    const { fetched, fetch } = counting();
    const cache = new QrImageCache({ fetch, now: () => 0 });
    expect(await cache.get('m', 'missing', 10)).toBeUndefined();
    await cache.get('m', 'missing', 10);
    await cache.get('n', 'u/n', null);
    await cache.get('n', 'u/n', null);
    expect(fetched).toEqual(['missing', 'missing', 'u/n', 'u/n']);
    expect(cache.size).toBe(0);
  });

  it('stays within its bounds of entries and bytes, the oldest going first', async () => {
    const { fetched, fetch } = counting(100);
    const byCount = new QrImageCache({ fetch, maxEntries: 3, now: () => 0 });
    for (const id of ['1', '2', '3', '4', '5']) await byCount.get(id, `u/${id}`, 10);
    expect(byCount.size).toBe(3);
    await byCount.get('5', 'u/5', 10);
    await byCount.get('1', 'u/1', 10);
    expect(fetched.slice(5)).toEqual(['u/1']);
    const byBytes = new QrImageCache({ fetch, maxBytes: 250, now: () => 0 });
    for (const id of ['1', '2', '3', '4']) await byBytes.get(id, `u/${id}`, 10);
    expect(byBytes.size).toBe(2);
  });
});
