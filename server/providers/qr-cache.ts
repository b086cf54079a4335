/**
 * The gateway's QR images, kept per order until the order expires: a page reloading, or a client
 * asking in a loop, must not make the signer fetch the image from the gateway each time. Requests
 * for an image being fetched share that fetch; a failed fetch is not kept. Bounded in entries and
 * bytes: past either bound the oldest images go first.
 */
export interface QrImage {
  body: Buffer;
  contentType: string;
}

interface Entry {
  image: Promise<QrImage | undefined>;
  /** Epoch ms: the order's expiry, after which nobody needs its QR code. */
  until: number;
  bytes: number;
}

export interface QrImageCacheOptions {
  /** Fetches the image at a URL; undefined when there is none to show. */
  fetch: (url: string) => Promise<QrImage | undefined>;
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
}

export class QrImageCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: QrImageCacheOptions) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** The image of order `orderId` at `url`, fetched at most once while the order is open (`until`). */
  get(orderId: string, url: string, until: number | null): Promise<QrImage | undefined> {
    const now = this.now();
    const known = this.entries.get(orderId);
    if (known && known.until > now) return known.image;
    if (known) this.forget(orderId, known);
    const image = this.options.fetch(url);
    if (until === null || until <= now) return image;
    const entry: Entry = { image, until, bytes: 0 };
    this.entries.set(orderId, entry);
    void image.then((found) => {
      if (this.entries.get(orderId) !== entry) return;
      if (!found) return this.forget(orderId, entry);
      entry.bytes = found.body.length;
      this.bytes += entry.bytes;
      this.trim();
    });
    this.trim();
    return image;
  }

  get size(): number {
    return this.entries.size;
  }

  private forget(orderId: string, entry: Entry): void {
    this.entries.delete(orderId);
    this.bytes -= entry.bytes;
  }

  /** The oldest first (a Map keeps insertion order). */
  private trim(): void {
    for (const [orderId, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      this.forget(orderId, entry);
    }
  }
}
