/** The public view of an order: what anyone holding its id may see. */
import type { OrderView, QrView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { OrderRecord } from '../model/index.ts';

export function qrImagePath(id: string): string {
  return `/api/orders/${id}/qr.png`;
}

/** What the widget draws (the payload, else the proxied image) and opens on a phone; null before the gateway answered. */
function qrView(order: OrderRecord): QrView | null {
  const drawn =
    order.qrPayload !== null
      ? { payload: order.qrPayload }
      : order.qrImageUrl !== null
        ? { image: qrImagePath(order.id) }
        : {};
  const qr: QrView = {
    ...drawn,
    ...(order.qrLink !== null && { link: order.qrLink }),
    ...(order.qrEnterAmount && { enterAmount: true }),
  };
  return Object.keys(qr).length > 0 ? qr : null;
}

export function toOrderView(order: OrderRecord, now: number): OrderView {
  return {
    id: order.id,
    status: order.status,
    price: formatCents(order.price),
    money: order.money === null ? null : formatCents(order.money),
    type: order.type,
    product: order.product,
    param: order.param,
    reference: order.reference,
    qr: qrView(order),
    createdAt: order.createdAt,
    expiresAt: order.expiresAt,
    paidAt: order.paidAt,
    late: order.late,
    serverTime: now,
  };
}
