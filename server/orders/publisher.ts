/**
 * Fans status changes out to watchers (SSE streams). Changes come from store commits; another
 * source (a database notification from another instance) can publish through the same object.
 */
import type { OrderRecord } from '../model/index.ts';

export type Watcher = (order: OrderRecord) => void;

export class StatusPublisher {
  private readonly watchers = new Map<string, Set<Watcher>>();

  /** Returns the function that stops watching. */
  watch(orderId: string, watcher: Watcher): () => void {
    let set = this.watchers.get(orderId);
    if (!set) this.watchers.set(orderId, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.watchers.get(orderId) === set) this.watchers.delete(orderId);
    };
  }

  publish(order: OrderRecord): void {
    for (const watcher of this.watchers.get(order.id) ?? []) watcher(order);
  }

  isWatched(orderId: string): boolean {
    return this.watchers.has(orderId);
  }

  /** The orders someone is watching, to re-read after changes may have been missed. */
  watchedOrders(): string[] {
    return [...this.watchers.keys()];
  }

  /** How many watchers are held: 0 when every stream has been closed. */
  get watcherCount(): number {
    let count = 0;
    for (const set of this.watchers.values()) count += set.size;
    return count;
  }
}
