/**
 * The epay provider reads the notify query as the gateway sends it: made by our PHP gateway peer
 * (money cast to a float, name and param stored escaped, http_build_query), parsed as PHP parses it.
 */
import { describe, expect, it } from 'vitest';
import { gatewayEscape, signed } from '../../server/epay/protocol.ts';
import { epayProvider } from '../../server/providers/epay.ts';
import { runPeer } from '../support/peers.ts';

const KEY = 'epay-provider-test-key-0123';
const PID = '1001';
const provider = epayProvider({
  // readPayment calls nothing: no gateway needs to answer here.
  url: 'http://127.0.0.1:9/',
  pid: PID,
  key: KEY,
  notifyUrl: 'http://127.0.0.1:9/api/notify',
  timeoutMs: 1_000,
});

const notify = (fields: Record<string, string> = {}) => ({
  pid: PID,
  trade_no: '2024120312000054321',
  out_trade_no: 'a1b2c3d4e5f60718293a4b5c6d7e8f901234',
  type: 'alipay',
  name: gatewayEscape('Order a1b2'),
  money: '9.90',
  trade_status: 'TRADE_SUCCESS',
  ...fields,
});

/** The query our PHP gateway peer appends to notify_url for each notify. */
const phpQueries = (notifies: Record<string, string>[]) =>
  runPeer<{ query: string }>(
    'epay',
    'sign_notify.php',
    notifies.map((fields) => ({ key: KEY, notify: fields })),
  ).map(({ query }) => query);

describe('the epay provider reads a notify', () => {
  it('into a payment in cents whatever the float form of money', () => {
    const amounts = ['1', '1.0', '1.00', '0.10', '9.90', '12345.67'];
    const queries = phpQueries(amounts.map((money) => notify({ money })));
    expect(queries[2]).toContain('money=1&');
    expect(queries.map((query) => provider.readPayment(query)?.money)).toEqual([100, 100, 100, 10, 990, 1234567]);
    // The same amount written with its decimals, as some gateways send it, verifies too.
    const written = new URLSearchParams(signed(notify({ money: '1.00' }), KEY)).toString();
    expect(provider.readPayment(written)?.money).toBe(100);
  });

  it('as our order id, its trade_no and the fields received (sign left out, escaped name kept as signed)', () => {
    const name = `Tom's "VIP" <会员> & 1+1`;
    const [query] = phpQueries([notify({ name: gatewayEscape(name), param: gatewayEscape('a b'), buyer: 'o_x' })]);
    const payment = provider.readPayment(query);
    expect(payment).toMatchObject({
      payNo: '2024120312000054321',
      orderId: 'a1b2c3d4e5f60718293a4b5c6d7e8f901234',
      money: 990,
      fields: { name: gatewayEscape(name), buyer: 'o_x', sign_type: 'MD5' },
    });
    expect(payment?.fields).not.toHaveProperty('sign');
    expect(provider.details(payment!.fields).param).toBe('a b');
  });

  it('with a field added by the gateway after signing: refused; repeated names: the last one, as PHP', () => {
    const [query] = phpQueries([notify()]);
    expect(provider.readPayment(`${query}&extra=1`)).toBeUndefined();
    expect(provider.readPayment(`money=5&${query}`)?.money).toBe(990);
    expect(provider.readPayment(`${query}&list[]=1`)?.money).toBe(990);
  });

  it('refuses a bad sign, another merchant, a status other than TRADE_SUCCESS, another key', () => {
    const [good, otherPid, waiting] = phpQueries([
      notify(),
      notify({ pid: '1002' }),
      notify({ trade_status: 'WAIT_BUYER_PAY' }),
    ]);
    expect(provider.readPayment(good)).toBeDefined();
    expect(provider.readPayment(good.replace('money=9.9', 'money=0.01'))).toBeUndefined();
    expect(provider.readPayment(good.replace(/sign=[0-9a-f]+/, `sign=${'0'.repeat(32)}`))).toBeUndefined();
    expect(provider.readPayment(otherPid)).toBeUndefined();
    expect(provider.readPayment(waiting)).toBeUndefined();
    const otherKey = new URLSearchParams(signed(notify(), `${KEY}x`)).toString();
    expect(provider.readPayment(otherKey)).toBeUndefined();
    expect(provider.readPayment('')).toBeUndefined();
  });
});
