/**
 * The admin CLI: `npm run admin -- <command>` or `npx codepay-checkout <command>`.
 * It reads the signer's configuration (environment, .env) and works on the same database.
 */
import { parseArgs } from 'node:util';
import type { OrderStatus } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { PAYMENT_OUTCOMES, type OrderRecord, type PaymentRecord } from '../model/index.ts';
import { toOrderView } from '../orders/view.ts';
import { amountLink, productLinks } from '../http/links.ts';
import type { OrderFilter, PaymentFilter } from '../store/types.ts';
import { openAdmin, signerUrlOf, type Admin } from './admin.ts';
import { csv, isoTime, table, type Row } from './format.ts';
import { setPassword } from './password.ts';

const USAGE = `usage: codepay-checkout <command> [options]

  orders    [--status S] [--late] [--review] [--since DATE] [--until DATE] [--limit N] [--json]
  order     <id> [--json]                 one order with its payments and events
  payments  [--orphan] [--outcome O] [--order ID] [--since DATE] [--until DATE] [--limit N] [--json]
  export    orders|payments [the same filters]    CSV on standard output
  links     [--json]                      each product's payment link, to share in a chat
  resolve   <id> --accept|--reject        settle an order in review
  resend    <event id>                    send a webhook event again
  reconcile [--hours N]                   ask the gateway about pending and lately expired orders now
  password                                set the console's password (ADMIN_PASSWORD_HASH in .env)

DATE is ISO 8601 (2026-11-25 or 2026-11-25T08:00:00Z). Configuration as for the signer (DATA_DIR, ...).`;

class UsageError extends Error {}
class NotFound extends Error {}

const STATUSES: readonly OrderStatus[] = ['creating', 'pending', 'paid', 'expired', 'failed', 'review'];

const OPTIONS = {
  status: { type: 'string' },
  outcome: { type: 'string' },
  order: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  hours: { type: 'string' },
  late: { type: 'boolean' },
  review: { type: 'boolean' },
  orphan: { type: 'boolean' },
  accept: { type: 'boolean' },
  reject: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function date(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (!Number.isFinite(time)) throw new UsageError(`--${name}: "${text}" is not a date like 2026-11-25`);
  return time;
}

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--${name}: "${text}" is not a positive whole number`);
  return Number(text);
}

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new UsageError(`--${name}: "${text}" is not one of ${allowed.join(', ')}`);
  return text as T;
}

function orderFilter(values: Values): OrderFilter {
  return {
    status: values.review ? 'review' : oneOf('status', values.status, STATUSES),
    late: values.late ? true : undefined,
    since: date('since', values.since),
    until: date('until', values.until),
    limit: count('limit', values.limit),
  };
}

function paymentFilter(values: Values): PaymentFilter {
  return {
    outcome: values.orphan ? 'orphan' : oneOf('outcome', values.outcome, PAYMENT_OUTCOMES),
    orderId: values.order,
    since: date('since', values.since),
    until: date('until', values.until),
    limit: count('limit', values.limit),
  };
}

const money = (cents: number | null) => (cents === null ? null : formatCents(cents));

function orderRow(order: OrderRecord): Row {
  return {
    id: order.id,
    status: order.status,
    price: formatCents(order.price),
    money: money(order.money),
    type: order.type,
    late: order.late,
    product: order.product,
    reference: order.reference,
    created: isoTime(order.createdAt),
    paid: isoTime(order.paidAt),
  };
}

function paymentRow(payment: PaymentRecord): Row {
  return {
    pay_no: payment.payNo,
    order: payment.orderId,
    outcome: payment.outcome,
    money: money(payment.money),
    received: isoTime(payment.receivedAt),
  };
}

function print(values: Values, rows: Row[], data: unknown): string {
  return values.json ? JSON.stringify(data, null, 2) : table(rows);
}

function onlyPositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one ${what}`);
  return positionals[0];
}

/** The payment links, from the configuration. */
function links(config: Admin['config'], values: Values): string {
  const baseUrl = signerUrlOf(config);
  const found = productLinks(baseUrl, config.pricePolicy.products);
  if (values.json) return JSON.stringify(found, null, 2);
  const lines = [table(found.map(({ id, name, price, url }) => ({ product: id, name, price, link: url })))];
  const open = config.pricePolicy.openAmount;
  if (open) {
    const range = `${formatCents(open.min)} to ${formatCents(open.max)}`;
    lines.push(
      '',
      `open amounts, ${range}: ${amountLink(baseUrl, formatCents(open.min))} (put the amount after price=)`,
    );
  }
  if (config.publicUrl === null) {
    lines.push('', 'PUBLIC_URL is not set: these use the listening address; set PUBLIC_URL to the one buyers reach.');
  }
  return lines.join('\n');
}

async function run(command: string, positionals: string[], values: Values, admin: Admin): Promise<string> {
  const { store, orders } = admin;
  switch (command) {
    case 'links':
      return links(admin.config, values);
    case 'orders': {
      const found = await store.listOrders(orderFilter(values));
      return print(
        values,
        found.map(orderRow),
        found.map((order) => toOrderView(order, Date.now())),
      );
    }
    case 'order': {
      const id = onlyPositional(positionals, 'order id');
      const order = await store.getOrder(id);
      if (!order) throw new NotFound(`no order ${id}`);
      const payments = await store.listPayments({ orderId: id });
      const events = await store.listEvents({ orderId: id });
      if (values.json) return JSON.stringify({ order: toOrderView(order, Date.now()), payments, events }, null, 2);
      const eventRows = events.map((event) => ({
        event: event.id,
        type: event.type,
        to: event.destination,
        attempts: event.attempts,
        delivered: isoTime(event.deliveredAt),
        error: event.lastError,
      }));
      return [
        table([orderRow(order)]),
        '',
        'payments:',
        table(payments.map(paymentRow)),
        '',
        'events:',
        table(eventRows),
      ].join('\n');
    }
    case 'payments': {
      const found = await store.listPayments(paymentFilter(values));
      return print(values, found.map(paymentRow), found);
    }
    case 'export': {
      const kind = onlyPositional(positionals, 'of orders or payments');
      if (kind === 'orders') {
        const rows = (await store.listOrders(orderFilter(values))).map(orderRow);
        return csv(rows, ['id', 'status', 'price', 'money', 'type', 'late', 'product', 'reference', 'created', 'paid']);
      }
      if (kind === 'payments')
        return csv((await store.listPayments(paymentFilter(values))).map(paymentRow), [
          'pay_no',
          'order',
          'outcome',
          'money',
          'received',
        ]);
      throw new UsageError(`export what? "${kind}" is neither orders nor payments`);
    }
    case 'resolve': {
      const id = onlyPositional(positionals, 'order id');
      if (Boolean(values.accept) === Boolean(values.reject)) throw new UsageError('resolve takes --accept or --reject');
      const order = await orders.resolveReview(id, values.accept ? 'accept' : 'reject');
      if (!order) throw new NotFound(`no order ${id} in review`);
      return `order ${id} is now ${order.status}`;
    }
    case 'resend': {
      const id = onlyPositional(positionals, 'event id');
      const queued = await store.requeueEvent(id, Date.now());
      if (queued === 0) throw new NotFound(`no event ${id}`);
      return `event ${id} queued again; the running signer sends it within seconds`;
    }
    case 'reconcile': {
      const hours = count('hours', values.hours) ?? 24;
      const found = await orders.reconcile({ horizonMs: hours * 3600_000, limit: 10_000 });
      return `reconciled: ${found} payment(s) found`;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

export async function main(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    err(`codepay-checkout: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...positionals] = parsed.positionals;
  if (!command || parsed.values.help || command === 'help') {
    out(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  // Before the configuration is read: setting the password must work while the old one is damaged.
  if (command === 'password') return setPassword(process.cwd(), out, err);
  let admin: Admin;
  try {
    admin = await openAdmin(loadConfig(), (line) => err(line));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`codepay-checkout: configuration error: ${error.message}`);
    return 2;
  }
  try {
    out(await run(command, positionals, parsed.values, admin));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`codepay-checkout: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof NotFound) {
      err(`codepay-checkout: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await admin.close();
  }
}
