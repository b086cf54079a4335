/**
 * The store interface: everything the services need, so another database can stand in. A store
 * stores and decides nothing: what a payment or a review does to an order is the order service's
 * decision, which the store runs inside the transaction, under the order's lock.
 */
import type { OrderStatus } from '../../shared/api.ts';
import type {
  Destination,
  GatewayOrder,
  IncomingPayment,
  NewOrder,
  NewOutboxEvent,
  OrderChange,
  OrderRecord,
  OutboxRecord,
  PaymentOutcome,
  PaymentRecord,
} from '../model/index.ts';
import type { ConsoleStore } from './console.ts';
import type { WriteHealth } from './write-health.ts';

export interface PaymentResult {
  /** This pay_no was recorded before: nothing changed. */
  duplicate: boolean;
  outcome: PaymentOutcome;
  /** The order after the payment, when the payment names one we know. */
  order: OrderRecord | undefined;
  statusChanged: boolean;
}

/** What a new payment does, as the order service decided it. */
export interface PaymentDecision {
  outcome: PaymentOutcome;
  /** The order's new state; undefined leaves the order as it is. */
  change?: OrderChange;
  /** The outbox rows, made from the order as it is after the change, written in the same transaction. */
  events?(order: OrderRecord | undefined): NewOutboxEvent[];
}

/** Called inside the payment's transaction with its order under lock (undefined: no such order). */
export type DecidePayment = (order: OrderRecord | undefined) => PaymentDecision;

/** A change of an order and the events it makes, as the order service decided it. */
export interface OrderDecision {
  change: OrderChange;
  events?(order: OrderRecord): NewOutboxEvent[];
}

/** Called inside the transaction with the order under lock and its payments; undefined changes nothing. */
export type DecideChange = (order: OrderRecord, payments: PaymentRecord[]) => OrderDecision | undefined;

export interface OrderFilter {
  status?: OrderStatus;
  late?: boolean;
  since?: number;
  until?: number;
  limit?: number;
}

export interface PaymentFilter {
  outcome?: PaymentOutcome;
  orderId?: string;
  since?: number;
  until?: number;
  limit?: number;
}

export interface Store {
  insertOrder(order: NewOrder): Promise<OrderRecord>;
  /** creating -> pending with the gateway's answer; only the answer's fields when the order moved on already. */
  markPending(id: string, answer: GatewayOrder, now: number): Promise<OrderRecord | undefined>;
  /** creating -> failed. */
  markFailed(id: string, errorCode: string, now: number): Promise<OrderRecord | undefined>;
  getOrder(id: string): Promise<OrderRecord | undefined>;
  /**
   * Records the payment and applies `decide`'s change and events, in one transaction under the
   * order's lock; a known pay_no changes nothing (and `decide`'s answer is dropped).
   */
  recordPayment(payment: IncomingPayment, decide: DecidePayment): Promise<PaymentResult>;
  /** Applies `decide`'s change and events to an order, in one transaction under its lock. */
  changeOrder(id: string, now: number, decide: DecideChange): Promise<OrderRecord | undefined>;
  listOrders(filter: OrderFilter): Promise<OrderRecord[]>;
  listPayments(filter: PaymentFilter): Promise<PaymentRecord[]>;
  /** Orders worth asking the gateway about: pending near expiry, or expired within `horizonMs`, not checked since `checkedBefore`. */
  ordersToCheck(now: number, horizonMs: number, checkedBefore: number, limit: number): Promise<OrderRecord[]>;
  markChecked(ids: string[], now: number): Promise<void>;
  /**
   * Claims undelivered events whose time has come, oldest first, for `leaseMs`: another claim
   * (another pass, another instance) skips them until they are marked or the lease runs out.
   */
  claimDueEvents(now: number, limit: number, leaseMs: number): Promise<OutboxRecord[]>;
  /** `answer`: what the receiver said, when the destination tells (a webhook's status and the start of its body). */
  markEventDelivered(id: string, destination: Destination, now: number, answer?: string | null): Promise<void>;
  /** A failed attempt: try again at `nextAttemptAt`, or give up when it is null. */
  markEventFailed(
    id: string,
    destination: Destination,
    error: string,
    nextAttemptAt: number | null,
    now: number,
  ): Promise<void>;
  /** Sends an event again (admin), delivered or not; returns how many rows were queued. */
  requeueEvent(id: string, now: number): Promise<number>;
  listEvents(filter: { orderId?: string; undelivered?: boolean; limit?: number }): Promise<OutboxRecord[]>;
  getPayment(payNo: string): Promise<PaymentRecord | undefined>;
  /** pending orders past expiresAt -> expired; returns the orders it moved. */
  expireDue(now: number): Promise<OrderRecord[]>;
  /** creating orders older than `before` (a crash or a lost gateway call) -> failed. */
  failStaleCreating(before: number, now: number): Promise<OrderRecord[]>;
  counts(): Promise<{ orders: Record<string, number>; payments: Record<string, number> }>;
  /** Whether writes fail right now, and the last failure (for /healthz). */
  writeHealth(): WriteHealth;
  /**
   * Status changes committed by any instance sharing this database, for live status across
   * instances; `resync` after a lost connection (changes in between were not seen). Absent where
   * only one process can use the database.
   */
  watchChanges?(listener: { changed(orderId: string): void; resync(): void }): Promise<() => Promise<void>>;
  /** What the merchant's console reads and records. */
  console: ConsoleStore;
  close(): Promise<void>;
}
