/** The console's overview: takings today, this month and per day, orders by status, payments to look at. */
import type { OrderStatus } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { Store } from '../store/types.ts';
import { dayRange, lastDays, localDateOf, monthRange } from './days.ts';
import { paymentView } from './views.ts';

const STATUSES: readonly OrderStatus[] = ['creating', 'pending', 'paid', 'expired', 'failed', 'review'];
const DAYS = 30;
const ATTENTION_SHOWN = 50;

export async function overview(store: Store, zone: string, now: number) {
  const today = localDateOf(zone, now);
  const days = lastDays(zone, today, DAYS);
  const ranges = [dayRange(zone, today), monthRange(zone, today), ...days];
  const [takings, counts, attention] = await Promise.all([
    store.console.takings(ranges),
    store.counts(),
    store.console.needingLook(ATTENTION_SHOWN),
  ]);
  const sum = (index: number) => ({ takings: formatCents(takings[index].cents), count: takings[index].count });
  return {
    tz: zone,
    today: sum(0),
    month: sum(1),
    byStatus: Object.fromEntries(
      [...new Set([...STATUSES, ...Object.keys(counts.orders)])].map((status) => [status, counts.orders[status] ?? 0]),
    ),
    days: days.map((day, index) => ({ date: day.date, ...sum(index + 2) })),
    attention: {
      count: attention.count,
      items: attention.payments.map((payment) => {
        const { payNo, orderId, outcome, money, receivedAt } = paymentView(payment);
        return { kind: outcome, orderId, payNo, money, receivedAt };
      }),
    },
  };
}
