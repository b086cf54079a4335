/** The store interface: everything routes and services need, so another database can stand in. */
import type { Channel, OrderStatus } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';
import type { Params } from '../codepay/protocol.ts';
import type { PaymentOutcome } from '../orders/settle.ts';

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

export interface Store {
  insertOrder(order: NewOrder): Promise<OrderRecord>;
  /** creating -> pending with the gateway's answer; only the answer's fields when the order moved on already. */
  markPending(id: string, answer: GatewayOrder, now: number): Promise<OrderRecord | undefined>;
  /** creating -> failed. */
  markFailed(id: string, errorCode: string, now: number): Promise<OrderRecord | undefined>;
  getOrder(id: string): Promise<OrderRecord | undefined>;
  /** Records the payment and moves its order, in one transaction; a known pay_no changes nothing. */
  recordPayment(payment: IncomingPayment): Promise<PaymentResult>;
  getPayment(payNo: string): Promise<PaymentRecord | undefined>;
  /** pending orders past expiresAt -> expired; returns the orders it moved. */
  expireDue(now: number): Promise<OrderRecord[]>;
  /** creating orders older than `before` (a crash or a lost gateway call) -> failed. */
  failStaleCreating(before: number, now: number): Promise<OrderRecord[]>;
  counts(): Promise<{ orders: Record<string, number>; payments: Record<string, number> }>;
  close(): Promise<void>;
}
