/** The order record, as the store keeps it and the services read it. */
import type { Channel, OrderStatus } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';

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
  /** A URL a phone opens to pay, where the gateway gave one. */
  qrLink: string | null;
  /** The QR carries no amount: the buyer types it. */
  qrEnterAmount: boolean;
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

/** What the gateway answered at creation, as the order keeps it. */
export interface GatewayOrder {
  money: Cents;
  gatewayOrderId: string;
  qrPayload: string | null;
  qrImageUrl: string | null;
  qrLink: string | null;
  qrEnterAmount: boolean;
  expiresAt: number;
}

/** An order's settled state: what a decision of the order service writes, whole. */
export interface OrderChange {
  status: OrderStatus;
  late: boolean;
  paidAt: number | null;
  errorCode: string | null;
}
