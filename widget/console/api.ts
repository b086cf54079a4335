/**
 * The console's calls to the signer's /admin/api (the contract: README, "Console"). URLs are
 * relative to the page, /admin/, so a signer mounted under a path works. Every change carries the
 * session's CSRF token; a refusal rejects with an ApiFailure holding the signer's code and message.
 */
import type { Channel, OrderStatus } from '../../shared/api.ts';
import type { ConsoleAction } from '../../shared/console-api.ts';

export interface AdminOrderRow {
  id: string;
  status: OrderStatus | 'refunded';
  price: string;
  money: string | null;
  type: Channel;
  product: string | null;
  reference: string | null;
  param: string | null;
  late: boolean;
  createdAt: number;
  paidAt: number | null;
  expiresAt: number | null;
  errorCode: string | null;
  refunded: string | null;
}

export interface Session {
  csrf: string;
  expiresAt: number;
}

export interface DaySum {
  date: string;
  takings: string;
  count: number;
}

export interface AttentionItem {
  kind: 'review' | 'orphan' | 'extra';
  orderId: string | null;
  payNo: string;
  money: string;
  receivedAt: number;
}

export interface Overview {
  tz: string;
  today: { takings: string; count: number };
  month: { takings: string; count: number };
  byStatus: Record<string, number>;
  days: DaySum[];
  attention: { count: number; items: AttentionItem[] };
}

export interface OrderPage {
  orders: AdminOrderRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Delivery {
  destination: string;
  attempts: number;
  deliveredAt: number | null;
  givenUpAt: number | null;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** The receiver's answer to the last attempt, where the signer records it. */
  lastAnswer?: string | null;
}

export interface OrderDetail {
  order: AdminOrderRow;
  payments: { payNo: string; outcome: string; money: string; receivedAt: number }[];
  history: { at: number; from: string | null; to: string }[];
  events: { id: string; type: string; createdAt: number; payload: unknown; deliveries: Delivery[] }[];
  actions: ConsoleAction[];
  can: { review: boolean; refund: boolean; resend: boolean };
}

export interface Health {
  gateway: {
    kind: string;
    provider: string;
    reachable: boolean;
    checkedAt: number | null;
    latencyMs?: number | null;
    error: string | null;
  };
  lastNotifyAt: number | null;
  lastPaymentAt: number | null;
  outbox: { backlog: number; givenUp: number; oldestDueAt: number | null };
  watchers: number;
  streams: number;
  database: string;
  writes: { failing: boolean; lastFailureAt: number | null };
  sandbox: boolean;
}

export interface Products {
  products: { id: string; name: string; price: string; link: string }[];
  openAmount: { min: string; max: string } | null;
  merchantName: string | null;
}

/** A refusal from the signer (or no answer at all: status 0, code NETWORK). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Retry-After, in seconds, when the signer sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** The signed-in session's CSRF token; every change sends it. */
let csrf = '';
export const setCsrf = (token: string): void => void (csrf = token);

/** The merchant's language, for the signer's messages. */
let language = 'en';
export const setLanguage = (locale: string): void => void (language = locale);

async function call<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`api/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiFailure(0, 'NETWORK', String(error));
  }
  if (response.status === 204) return undefined as T;
  const answer = await response.json().catch(() => undefined);
  if (response.ok) return answer as T;
  const retryAfter = Number(response.headers.get('retry-after')) || null;
  throw new ApiFailure(
    response.status,
    answer?.error?.code ?? 'INTERNAL',
    answer?.error?.message ?? response.statusText,
    retryAfter,
  );
}

/** The order filters as the list, the CSV export and the page's address share them. */
export type OrderQuery = Partial<Record<'status' | 'type' | 'from' | 'to' | 'q' | 'page', string>>;

const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function queryString(query: OrderQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  params.set('tz', timeZone());
  return params.toString();
}

const id = encodeURIComponent;

export const api = {
  session: () => call<Session>('session'),
  signIn: (password: string) => call<Session>('session', 'POST', { password }),
  signOut: () => call<void>('session', 'DELETE'),
  overview: () => call<Overview>(`overview?tz=${id(timeZone())}`),
  orders: (query: OrderQuery) => call<OrderPage>(`orders?${queryString(query)}`),
  csvUrl: (query: OrderQuery) => `api/orders.csv?${queryString({ ...query, page: undefined })}`,
  order: (orderId: string) => call<OrderDetail>(`orders/${id(orderId)}`),
  review: (orderId: string, decision: 'accept' | 'reject') =>
    call<{ order: AdminOrderRow }>(`orders/${id(orderId)}/review`, 'POST', { decision }),
  reconcile: (orderId: string) =>
    call<{ order: AdminOrderRow; found: number }>(`orders/${id(orderId)}/reconcile`, 'POST', {}),
  refund: (orderId: string) => call<{ order: AdminOrderRow }>(`orders/${id(orderId)}/refund`, 'POST', {}),
  resend: (eventId: string) => call<{ queued: number }>(`outbox/${id(eventId)}/resend`, 'POST', {}),
  health: () => call<Health>('health'),
  products: () => call<Products>('products'),
  /** Every order status change, live. */
  stream: () => new EventSource('api/stream'),
};
