/**
 * Fault switches that make the sandbox misbehave the ways a real gateway does, for tests.
 * Set globally or for one pay_id (the only key known before creat_order makes an order);
 * a pay_id's switches override the global ones field by field.
 */

/** creat_order answers status -1, status -2, HTTP 500, a non-JSON body, or nothing at all. */
export const CREATE_ORDER_FAULTS = ['fail', 'bad-params', 'http-500', 'garbage', 'hang'] as const;
export type CreateOrderFault = (typeof CREATE_ORDER_FAULTS)[number];

function isCreateOrderFault(value: unknown): value is CreateOrderFault {
  return (CREATE_ORDER_FAULTS as readonly unknown[]).includes(value);
}

/** Read when they act: creat_order faults per request, notify ones per attempt, the rest at payment. */
export interface Faults {
  createOrder?: CreateOrderFault;
  /** creat_order waits this many ms before answering. */
  slowMs?: number;
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
}

export interface FaultRequest {
  payId?: string;
  faults: Faults;
}

const MAX_DELAY_MS = 600_000;

export function delayField(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new TypeError(`${name} must be an integer number of ms from 0 to ${MAX_DELAY_MS}`);
  }
  return value;
}

export function booleanField(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
  return value;
}

/**
 * Reads `{"pay_id"?: "...", "createOrder"?: "hang", "slowMs"?: 500, ...}`; throws a TypeError
 * naming the first bad field, so a test's typo fails loudly instead of switching nothing.
 */
export function parseFaultRequest(body: unknown): FaultRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TypeError('expected a JSON object');
  }
  const request: FaultRequest = { faults: {} };
  const { faults } = request;
  for (const [name, value] of Object.entries(body)) {
    switch (name) {
      case 'pay_id':
        if (typeof value !== 'string' || value === '') throw new TypeError('pay_id must be a non-empty string');
        request.payId = value;
        break;
      case 'createOrder':
        if (!isCreateOrderFault(value)) {
          throw new TypeError(`createOrder must be one of ${CREATE_ORDER_FAULTS.join(', ')}`);
        }
        faults.createOrder = value;
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
        faults[name] = booleanField(value, name);
        break;
      default:
        throw new TypeError(`unknown fault ${JSON.stringify(name)}`);
    }
  }
  return request;
}

/** The switches of a sandbox, global and per order (each sandbox has its own `F`). */
export class FaultTable<F extends object = Faults> {
  private global: F = {} as F;
  private readonly byPayId = new Map<string, F>();

  /** Replaces the switches of one scope; an empty object clears it. */
  set({ payId, faults }: { payId?: string; faults: F }): void {
    if (payId === undefined) this.global = { ...faults };
    else if (Object.keys(faults).length === 0) this.byPayId.delete(payId);
    else this.byPayId.set(payId, { ...faults });
  }

  for(payId: string): F {
    return { ...this.global, ...this.byPayId.get(payId) };
  }

  clear(): void {
    this.global = {} as F;
    this.byPayId.clear();
  }

  view(): { global: F; byPayId: Record<string, F> } {
    return { global: { ...this.global }, byPayId: Object.fromEntries(this.byPayId) };
  }
}
