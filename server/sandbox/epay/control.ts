/**
 * The epay sandbox's `_control`: its orders, payments and refunds (filtered by trade_no or
 * out_trade_no), the shared fault switches keyed by out_trade_no, and `answers`, which answer kind
 * mapi.php gives per type and device.
 */
import type Router from '@koa/router';
import { formatCents } from '../../../shared/money.ts';
import { listing, readJson, readOrRefuse, registerControlRoutes } from '../control.ts';
import type { FaultDialect } from '../faults.ts';
import { parseAnswerRule } from './answer-kinds.ts';
import { EPAY_CREATE_FAULTS } from './create.ts';
import { EPAY_API_FAULTS } from './gateway.ts';
import type { EpayRuntime } from './runtime.ts';
import { refundable, statusOf, type EpayOrder } from './state.ts';

export const EPAY_FAULTS: FaultDialect = {
  scopeField: 'out_trade_no',
  createFaults: EPAY_CREATE_FAULTS,
  apiFaults: EPAY_API_FAULTS,
};

function orderView(order: EpayOrder, runtime: EpayRuntime) {
  return {
    trade_no: order.tradeNo,
    out_trade_no: order.outTradeNo,
    type: order.type,
    device: order.device,
    name: order.name,
    money: formatCents(order.money),
    param: order.param,
    clientip: order.clientIp,
    notify_url: order.notifyUrl,
    return_url: order.returnUrl,
    added_at: order.addedAt,
    status: statusOf(order),
    paid_money: order.paid ? formatCents(order.paid.money) : null,
    paid_at: order.paid?.at ?? null,
    refunded: order.paid ? formatCents(order.paid.money - refundable(order)) : '0.00',
    refunds: order.refunds.map((each) => ({ money: formatCents(each.money), at: each.at })),
    notify: runtime.notifier.state(order.tradeNo) ?? null,
  };
}

export function registerEpayControl(router: Router, runtime: EpayRuntime): void {
  const view = (order: EpayOrder) => orderView(order, runtime);
  registerControlRoutes(router, {
    faults: runtime.faults,
    dialect: EPAY_FAULTS,
    listings: {
      orders: listing(() => runtime.state.list(), view),
      payments: listing(() => runtime.state.list().filter((order) => order.paid), view),
      refunds: listing(() => runtime.state.list().filter((order) => order.refunds.length > 0), view),
    },
    attempts: (keep) => runtime.notifier.list(keep),
    filters: { trade_no: 'tradeNo', out_trade_no: 'outTradeNo' },
    resetSwitches: () => runtime.answers.clear(),
    async forgetState() {
      await runtime.notifier.clear();
      runtime.state.clear();
    },
  });
  router.get('/_control/answers', (ctx) => {
    ctx.body = runtime.answers.view();
  });
  router.post('/_control/answers', async (ctx) => {
    runtime.answers.set(readOrRefuse(ctx, await readJson(ctx), parseAnswerRule));
    ctx.body = runtime.answers.view();
  });
}
