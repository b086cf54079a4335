/**
 * Fans status changes out to watchers (SSE streams). Changes come from store commits; another
 * source (a database notification from another instance) can publish through the same object.
 */
import type { OrderRecord } from '../model/index.ts';

export type Watcher = (order: OrderRecord) => void;

export class StatusPublisher {
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Watchers of every order (the console's live table). */
  private readonly everyOrder = new Set<Watcher>();

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

  /** Every order's changes; returns the function that stops watching. */
  watchAll(watcher: Watcher): () => void {
    this.everyOrder.add(watcher);
    return () => this.everyOrder.delete(watcher);
  }

  publish(order: OrderRecord): void {
    for (const watcher of this.watchers.get(order.id) ?? []) watcher(order);
    for (const watcher of this.everyOrder) watcher(order);
  }

  isWatched(orderId: string): boolean {
    return this.watchers.has(orderId) || this.everyOrder.size > 0;
  }

  /** The orders someone is watching, to re-read after changes may have been missed. */
  watchedOrders(): string[] {
    return [...this.watchers.keys()];
  }

  /** How many watchers are held: 0 when every stream has been closed. */
  get watcherCount(): number {
    let count = this.everyOrder.size;
    for (const set of this.watchers.values()) count += set.size;
    return count;
  }
}
