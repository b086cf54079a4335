/** The test vectors of the gateways' own documentation (as PROTOCOLS.md gives them), for every test that checks one. */
import type { Params } from '../../server/epay/protocol.ts';

/** epay's documentation page: an order's parameters (sign_type sent, not signed), its key, string and sign. */
export const EPAY_VECTOR = {
  key: '89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i',
  fields: {
    pid: '1001',
    type: 'alipay',
    out_trade_no: '20160806151343349',
    notify_url: 'http://www.pay.com/notify_url.php',
    return_url: 'http://www.pay.com/return_url.php',
    name: 'VIP会员',
    money: '1.00',
    sign_type: 'MD5',
  } satisfies Params,
  signed:
    'money=1.00&name=VIP会员&notify_url=http://www.pay.com/notify_url.php&out_trade_no=20160806151343349&pid=1001&return_url=http://www.pay.com/return_url.php&type=alipay',
  sign: '427724b6656aa612cfdbe7a2262036a3',
};

/** V免签's api.html: md5(payId + param + type + price + key). */
export const VMQ_VECTOR = {
  key: 'a7cc8678193ee9c70ae3d75fd04ae6a9',
  order: { payId: '1547129707139', param: 'vone666', type: '2', price: '0.1' },
  sign: '2b8b5d58c51203162f14939bdbc46a54',
};
