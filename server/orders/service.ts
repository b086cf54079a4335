/** Orders: create at the gateway, receive its notify, expire what nobody paid. */
import { randomBytes } from 'node:crypto';
import { parseAmount } from '../../shared/money.ts';
import { createOrderParams, parseForm, verify } from '../codepay/protocol.ts';
import { ApiError } from '../errors.ts';
import type { GatewayClient } from '../gateway/client.ts';
import { resolveQr } from '../gateway/qr.ts';
import type { Logger } from '../log.ts';
import type { OrderRecord, PaymentResult, Store } from '../store/types.ts';
import type { StatusPublisher } from './publisher.ts';
import type { CreateOrderCommand } from './request.ts';

export interface OrderServiceOptions {
  store: Store;
  gateway: GatewayClient;
  publisher: StatusPublisher;
  log: Logger;
  merchantId: string;
  merchantKey: string;
  notifyUrl: string;
  orderTtlSeconds: number;
  gatewayTimeoutMs: number;
  now?: () => number;
}

/** The CodePay pay_id: 144 random bits, URL-safe, 24 characters. */
export function newOrderId(): string {
  return randomBytes(18).toString('base64url');
}

export type NotifyAnswer = 'success' | 'fail';

export class OrderService {
  private readonly options: OrderServiceOptions;
  private readonly now: () => number;

  constructor(options: OrderServiceOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** The row is written before the gateway is called, so no notify can name an order we don't know. */
  async create(command: CreateOrderCommand): Promise<OrderRecord> {
    const { store, gateway, publisher } = this.options;
    const id = newOrderId();
    await store.insertOrder({ id, ...command, createdAt: this.now() });
    let answer;
    try {
      answer = await gateway.createOrder(
        createOrderParams({
          merchantId: this.options.merchantId,
          payId: id,
          type: command.type,
          price: command.price,
          param: command.param ?? undefined,
          notifyUrl: this.options.notifyUrl,
          outTime: this.options.orderTtlSeconds,
        }),
      );
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'GATEWAY_UNAVAILABLE';
      const failed = await store.markFailed(id, code, this.now());
      if (failed) publisher.publish(failed);
      this.options.log.warn('gateway refused an order', { orderId: id, code });
      throw error;
    }
    const qr = await resolveQr(answer.qrcode, gateway.url, Math.min(this.options.gatewayTimeoutMs, 5_000));
    const now = this.now();
    // The gateway's clock may differ from ours: keep only the lifetime it gave.
    const expiresAt = now + (answer.endTime - answer.serverTime) * 1000;
    const order = await store.markPending(
      id,
      { money: answer.money, gatewayOrderId: answer.gatewayOrderId, qrPayload: qr.payload, qrImageUrl: qr.imageUrl, expiresAt },
      now,
    );
    if (!order) throw new ApiError('INTERNAL', 'The order disappeared while it was being created.');
    publisher.publish(order);
    return order;
  }

  get(id: string): Promise<OrderRecord | undefined> {
    return this.options.store.getOrder(id);
  }

  /**
   * Verifies a notify over every non-empty field received and records it in one transaction.
   * `success` only after the commit, also for a duplicate; `fail` for anything unverified.
   */
  async receiveNotify(rawBody: string): Promise<{ answer: NotifyAnswer; result?: PaymentResult }> {
    const params = parseForm(rawBody);
    if (!params || !params.pay_no || !params.pay_id || !verify(params, this.options.merchantKey)) {
      this.options.log.warn('notify refused: not signed by the gateway');
      return { answer: 'fail' };
    }
    const { sign: _sign, ...fields } = params;
    const result = await this.options.store.recordPayment({
      payNo: params.pay_no,
      payId: params.pay_id,
      money: parseAmount(params.money) ?? null,
      fields,
      receivedAt: this.now(),
    });
    if (result.statusChanged && result.order) this.options.publisher.publish(result.order);
    this.options.log.info('notify recorded', {
      payNo: params.pay_no,
      orderId: result.order?.id ?? null,
      outcome: result.outcome,
      duplicate: result.duplicate,
    });
    return { answer: 'success', result };
  }

  /** Expires unpaid orders and fails orders left `creating` by a crash or a lost gateway call. */
  async sweep(): Promise<void> {
    const { store, publisher } = this.options;
    const now = this.now();
    const creatingDeadline = now - this.options.gatewayTimeoutMs * 2 - 10_000;
    const changed = [...(await store.expireDue(now)), ...(await store.failStaleCreating(creatingDeadline, now))];
    for (const order of changed) publisher.publish(order);
  }
}
