/** The CodePay sandbox's `_control` listings: its orders and payments, filtered by order_id, pay_id, pay_no. */
import type Router from '@koa/router';
import { formatCents } from '../../shared/money.ts';
import { CODEPAY_FAULTS } from './faults.ts';
import { listing, registerControlRoutes } from './control.ts';
import type { Runtime } from './runtime.ts';
import type { Order, Payment } from './state.ts';

function orderView(order: Order, runtime: Runtime) {
  const payment = runtime.state.paymentOf(order.orderId);
  return {
    order_id: order.orderId,
    pay_id: order.payId,
    type: order.type,
    price: formatCents(order.price),
    money: formatCents(order.money),
    param: order.param,
    notify_url: order.notifyUrl,
    return_url: order.returnUrl,
    serverTime: order.serverTime,
    endTime: order.endTime,
    status: payment ? 'paid' : runtime.state.isExpired(order) ? 'expired' : 'pending',
    pay_no: payment?.payNo ?? null,
  };
}

function paymentView(payment: Payment, runtime: Runtime) {
  return {
    pay_no: payment.payNo,
    order_id: payment.orderId,
    pay_id: payment.payId,
    type: payment.type,
    price: formatCents(payment.price),
    money: formatCents(payment.money),
    param: payment.param,
    pay_time: payment.payTime,
    late: payment.late,
    notify_url: payment.notifyUrl,
    notify: runtime.notifier.state(payment.payNo),
  };
}

export function registerCodePayControl(router: Router, runtime: Runtime): void {
  registerControlRoutes(router, {
    faults: runtime.faults,
    dialect: CODEPAY_FAULTS,
    listings: {
      orders: listing(
        () => runtime.state.listOrders(),
        (order) => orderView(order, runtime),
      ),
      payments: listing(
        () => runtime.state.listPayments(),
        (payment) => paymentView(payment, runtime),
      ),
    },
    attempts: (keep) => runtime.notifier.list(keep),
    filters: { order_id: 'orderId', pay_id: 'payId', pay_no: 'payNo' },
    async forgetState() {
      await runtime.notifier.clear();
      runtime.state.clear();
    },
  });
}
