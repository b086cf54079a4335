/** The public view of an order: what anyone holding its id may see. */
import type { OrderView, RefundView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { OrderRecord, RefundRecord } from '../model/index.ts';

export function qrImagePath(id: string): string {
  return `/api/orders/${id}/qr.png`;
}

export function toOrderView(order: OrderRecord, now: number): OrderView {
  const hasQr = order.qrPayload !== null || order.qrImageUrl !== null;
  return {
    id: order.id,
    status: order.status,
    price: formatCents(order.price),
    money: order.money === null ? null : formatCents(order.money),
    type: order.type,
    product: order.product,
    param: order.param,
    reference: order.reference,
    qr: hasQr ? (order.qrPayload !== null ? { payload: order.qrPayload } : { image: qrImagePath(order.id) }) : null,
    createdAt: order.createdAt,
    expiresAt: order.expiresAt,
    paidAt: order.paidAt,
    late: order.late,
    refunded: order.refunded === 0 ? null : formatCents(order.refunded),
    serverTime: now,
  };
}

export function toRefundView(refund: RefundRecord): RefundView {
  return {
    id: refund.id,
    money: formatCents(refund.money),
    status: refund.status,
    message: refund.message,
    createdAt: refund.createdAt,
  };
}
