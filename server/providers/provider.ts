/**
 * The seam between the order service and the merchant's gateway: one provider per protocol
 * (CodePay today), each with its sandbox. The order service speaks only this interface, so a new
 * gateway is a new provider, not a change to the service.
 */
import type { Channel } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';
import type { GatewayFields } from '../model/index.ts';
import type { ResolvedQr } from './qr.ts';

/** Who pays, as the signer saw the request: some gateways want the buyer's address and device. */
export interface Buyer {
  ip: string;
  userAgent: string | null;
}

export interface OrderToCreate {
  /** Our order id: the gateway's order number for us (CodePay's pay_id). */
  id: string;
  type: Channel;
  price: Cents;
  param: string | null;
  /** How long the QR code should stay payable. */
  lifetimeSeconds: number;
  /** The buyer behind a public order; absent when the merchant's backend created it (no buyer at hand). */
  buyer?: Buyer;
}

export interface CreatedOrder {
  /** The gateway's own order number ('' when it gives none). */
  gatewayOrderId: string;
  /** What the buyer must pay exactly: may differ from the price by cents, to tell buyers apart. */
  money: Cents;
  qr: ResolvedQr;
  /** How long the gateway keeps the order payable, by its own clock (ours may differ). */
  lifetimeMs: number;
}

/** A payment the gateway signed: its payment number, our order id, the amount, its fields. */
export interface VerifiedPayment {
  payNo: string;
  orderId: string;
  money: Cents | null;
  /** The gateway's fields as received, without the signature: kept as the payment's evidence. */
  fields: GatewayFields;
  /**
   * What the payment says of its order besides id and money, where the gateway's sign cannot tell
   * its fields apart (V免签 signs them joined with no separator): the order service pays the order
   * only when they are the stored order's, and refuses the payment otherwise.
   */
  claims?: { price: Cents; type: Channel };
}

/** What the gateway's order query said: paid (with the payment), not paid, or an error. */
export type OrderQuery = { paid: true; payment: VerifiedPayment } | { paid: false } | { error: string };

/** What the merchant's events show of a payment, read from the gateway's fields. */
export interface PaymentDetails {
  payTime: string | null;
  param: string | null;
}

/** The gateway's own state, for /healthz and the admin CLI: never a secret in it. */
export interface GatewayHealth {
  /** The gateway answered the question. */
  reachable: boolean;
  /** Its payment monitor (V免签's phone): online, offline, or never bound to the server. */
  monitor?: 'online' | 'offline' | 'unbound';
  /** Epoch ms of the monitor's last heartbeat and of the last payment it saw; null: never. */
  lastHeartbeatAt?: number | null;
  lastPaymentAt?: number | null;
  /** Why it could not be asked. */
  error?: string;
}

/**
 * ok: the money went back. Not ok: nothing went back (`message`: the gateway's reason, no secret);
 * with `outcomeUnknown`, no answer came (a timeout, a lost connection) and the gateway may have
 * given the money back or not: the order service keeps that refund pending.
 */
export type RefundAnswer = { ok: true } | { ok: false; message: string; outcomeUnknown?: boolean };

export interface PaymentProvider {
  /**
   * The gateway sends its notify once and never again (V免签): reconciliation asks about every
   * pending order, not only those about to expire.
   */
  readonly notifiesOnce?: boolean;
  /** Creates the order at the gateway; rejects with an ApiError (GATEWAY_*) it can show the buyer. */
  createOrder(order: OrderToCreate): Promise<CreatedOrder>;
  /** A notify (or the buyer's return) as received, read into a payment; undefined when the gateway did not sign it. */
  readPayment(raw: string): VerifiedPayment | undefined;
  /** Asks the gateway about one order; undefined where the gateway has no query. */
  queryOrder(order: { id: string; gatewayOrderId: string | null }): Promise<OrderQuery | undefined>;
  details(fields: GatewayFields): PaymentDetails;
  /** Gives (part of) a paid order's money back; absent where the gateway cannot (CodePay). */
  /** Closes an order the shop expired, so the gateway stops waiting for its payment (V免签 frees its amount). */
  closeOrder?(order: { id: string; gatewayOrderId: string | null }): Promise<void>;
  /** Asks the gateway how it is (V免签: its monitor phone); absent where the gateway cannot tell. */
  health?(): Promise<GatewayHealth>;
  refund?(order: { id: string; gatewayOrderId: string | null }, money: Cents): Promise<RefundAnswer>;
}
