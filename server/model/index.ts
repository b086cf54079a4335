/** The records every layer above speaks: orders, payments, outbox events. It imports only shared/. */
export type { GatewayOrder, NewOrder, OrderChange, OrderRecord } from './order.ts';
export {
  PAYMENT_OUTCOMES,
  type GatewayFields,
  type IncomingPayment,
  type PaymentOutcome,
  type PaymentRecord,
} from './payment.ts';
export type { Destination, EventType, NewOutboxEvent, OutboxRecord } from './outbox.ts';
export type { NewRefund, RefundRecord, RefundSettlement } from './refund.ts';
