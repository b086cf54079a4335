/** The store interface: everything routes and services need, so another database can stand in. */
import type { Channel, OrderStatus } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';
import type { Params } from '../codepay/protocol.ts';
import type { PaymentOutcome } from '../orders/settle.ts';
import type { Destination, NewOutboxEvent } from '../outbox/events.ts';
import type { WriteHealth } from './write-health.ts';

export interface OrderRecord {
  id: string;
  status: OrderStatus;
  price: Cents;
  /** What the gateway asked the buyer to pay; null until the gateway answered. */
  money: Cents | null;
  type: Channel;
  product: string | null;
  param: string | null;
  reference: string | null;
  gatewayOrderId: string | null;
  qrPayload: string | null;
  /** The gateway's QR image URL (absolute), kept to proxy it when it could not be decoded. */
  qrImageUrl: string | null;
  errorCode: string | null;
  late: boolean;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  paidAt: number | null;
}

export interface NewOrder {
  id: string;
  price: Cents;
  type: Channel;
  product: string | null;
  param: string | null;
  reference: string | null;
  createdAt: number;
}

export interface GatewayOrder {
  money: Cents;
  gatewayOrderId: string;
  qrPayload: string | null;
  qrImageUrl: string | null;
  expiresAt: number;
}

/** A verified notify. */
export interface IncomingPayment {
  payNo: string;
  payId: string;
  money: Cents | null;
  fields: Params;
  receivedAt: number;
}

export interface PaymentRecord {
  payNo: string;
  orderId: string | null;
  outcome: PaymentOutcome;
  money: Cents | null;
  fields: Params;
  receivedAt: number;
}

export interface PaymentResult {
  /** This pay_no was recorded before: nothing changed. */
  duplicate: boolean;
  outcome: PaymentOutcome;
  /** The order after the payment, when the payment names one we know. */
  order: OrderRecord | undefined;
  statusChanged: boolean;
}

/** Builds the outbox rows for a settled payment; called inside the payment's transaction. */
export type EventsFor = (settled: { outcome: PaymentOutcome; order: OrderRecord | undefined; payment: IncomingPayment }) => NewOutboxEvent[];

export interface OutboxRecord extends NewOutboxEvent {
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  givenUpAt: number | null;
  lastError: string | null;
}

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
  /** Records the payment and moves its order, in one transaction; a known pay_no changes nothing. */
  recordPayment(payment: IncomingPayment, eventsFor?: EventsFor): Promise<PaymentResult>;
  /** review -> paid (accept, with its events) or -> failed (reject). */
  resolveReview(id: string, decision: 'accept' | 'reject', now: number, eventsFor?: EventsFor): Promise<OrderRecord | undefined>;
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
  markEventDelivered(id: string, destination: Destination, now: number): Promise<void>;
  /** A failed attempt: try again at `nextAttemptAt`, or give up when it is null. */
  markEventFailed(id: string, destination: Destination, error: string, nextAttemptAt: number | null, now: number): Promise<void>;
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
  close(): Promise<void>;
}
