/** Outbox rows: merchant events waiting to be delivered, written in the transaction that caused them. */

/** Where events go: the merchant's webhook URL, and/or the onPaid hook of a signer run as a library. */
export type Destination = 'webhook' | 'hook';

export type EventType = 'order.paid' | 'order.paid_late' | 'order.review' | 'payment.orphan' | 'payment.extra';

export interface NewOutboxEvent {
  id: string;
  destination: Destination;
  type: EventType;
  orderId: string | null;
  payload: string;
  createdAt: number;
}

export interface OutboxRecord extends NewOutboxEvent {
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  givenUpAt: number | null;
  lastError: string | null;
  /** What the receiver answered at the delivery ("HTTP 200 ok"), where the destination tells. */
  lastAnswer: string | null;
}
