/**
 * Fault switches that make a sandbox misbehave the ways a real gateway does, for tests, shared by
 * every sandbox. Set globally or for one merchant reference (CodePay's pay_id, epay's out_trade_no:
 * the only key known before the order exists); a reference's switches override the global ones
 * field by field. Each sandbox names its own create faults and its reference's field.
 */

/** CodePay's creat_order answers status -1, status -2, HTTP 500, a non-JSON body, or nothing at all. */
export const CREATE_ORDER_FAULTS = ['fail', 'bad-params', 'http-500', 'garbage', 'hang'] as const;
export type CreateOrderFault = (typeof CREATE_ORDER_FAULTS)[number];

/** Read when they act: create faults per request, notify ones per attempt, the rest at payment. */
export interface Faults {
  /** One of the sandbox's own create faults (CodePay: CREATE_ORDER_FAULTS). */
  createOrder?: string;
  /** The create call waits this many ms before answering. */
  slowMs?: number;
  /** One of the sandbox's own API faults (epay: api.php's act=order and act=refund), if it has any. */
  api?: string;
  /** Every notify attempt is POSTed twice at the same time. */
  duplicateNotify?: boolean;
  /** The first notify attempt waits this many ms after the payment (read at payment). */
  notifyDelayMs?: number;
  /** Notifies carry a wrong sign. */
  badSignature?: boolean;
  /** The buyer pays one cent more than the order's money, so the notify's money differs (read at payment). */
  differentMoney?: boolean;
  /** The QR image is a PNG no decoder can read (as some gateways' stylised codes are). */
  unreadableQr?: boolean;
  /** The payment is made but its notify is never sent: only a status query finds it (read at payment). */
  lostNotify?: boolean;
}

export interface FaultRequest {
  /** The merchant reference the switches are for; none: the global ones. */
  scope?: string;
  faults: Faults;
}

/** How a sandbox names its faults: its reference's field, its create faults, and its API faults. */
export interface FaultDialect {
  scopeField: string;
  createFaults: readonly string[];
  /** None: the sandbox has no `api` switch, and refuses one. */
  apiFaults?: readonly string[];
}

export const CODEPAY_FAULTS: FaultDialect = { scopeField: 'pay_id', createFaults: CREATE_ORDER_FAULTS };

const MAX_DELAY_MS = 600_000;

function delayField(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new TypeError(`${name} must be an integer number of ms from 0 to ${MAX_DELAY_MS}`);
  }
  return value;
}

function booleanField(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
  return value;
}

/**
 * Reads `{"pay_id"?: "...", "createOrder"?: "hang", "slowMs"?: 500, ...}` (the reference's field
 * as the dialect names it); throws a TypeError naming the first bad field, so a test's typo fails
 * loudly instead of switching nothing.
 */
export function parseFaultRequest(body: unknown, dialect: FaultDialect = CODEPAY_FAULTS): FaultRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TypeError('expected a JSON object');
  }
  const request: FaultRequest = { faults: {} };
  const { faults } = request;
  for (const [name, value] of Object.entries(body)) {
    if (name === dialect.scopeField) {
      if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
      request.scope = value;
      continue;
    }
    switch (name) {
      case 'createOrder':
        if (typeof value !== 'string' || !dialect.createFaults.includes(value)) {
          throw new TypeError(`createOrder must be one of ${dialect.createFaults.join(', ')}`);
        }
        faults.createOrder = value;
        break;
      case 'api':
        if (typeof value !== 'string' || !dialect.apiFaults?.includes(value)) {
          throw new TypeError(
            dialect.apiFaults ? `api must be one of ${dialect.apiFaults.join(', ')}` : 'this sandbox has no api faults',
          );
        }
        faults.api = value;
        break;
      case 'slowMs':
        faults.slowMs = delayField(value, name);
        break;
      case 'notifyDelayMs':
        faults.notifyDelayMs = delayField(value, name);
        break;
      case 'duplicateNotify':
      case 'badSignature':
      case 'differentMoney':
      case 'unreadableQr':
      case 'lostNotify':
        faults[name] = booleanField(value, name);
        break;
      default:
        throw new TypeError(`unknown fault ${JSON.stringify(name)}`);
    }
  }
  return request;
}

export class FaultTable {
  private global: Faults = {};
  private readonly byScope = new Map<string, Faults>();

  /** @param viewName the name of the per-reference switches in view(): `byPayId`, `byOutTradeNo`. */
  constructor(private readonly viewName = 'byPayId') {}

  /** Replaces the switches of one scope; an empty object clears it. */
  set({ scope, faults }: FaultRequest): void {
    if (scope === undefined) this.global = { ...faults };
    else if (Object.keys(faults).length === 0) this.byScope.delete(scope);
    else this.byScope.set(scope, { ...faults });
  }

  for(scope: string): Faults {
    return { ...this.global, ...this.byScope.get(scope) };
  }

  clear(): void {
    this.global = {};
    this.byScope.clear();
  }

  view(): Record<string, unknown> {
    return { global: { ...this.global }, [this.viewName]: Object.fromEntries(this.byScope) };
  }
}
