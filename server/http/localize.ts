/**
 * Error messages in the buyer's language. The widget shows the signer's message as it comes, so a
 * refusal answers in Chinese when the browser asks for it (Accept-Language); anything else, and
 * the merchant's backend, gets the detailed English message.
 */
import type { ServerErrorCode } from '../errors.ts';

type Messages = Partial<Record<ServerErrorCode, string>>;

const SIMPLIFIED: Messages = {
  BAD_REQUEST: '请求格式不正确。',
  INVALID_PRICE: '金额格式不正确，请填写如 9.90 的金额。',
  INVALID_CHANNEL: '不支持该支付方式。',
  INVALID_PARAM: '附加参数不正确。',
  UNAUTHORIZED: '未授权的请求。',
  FORBIDDEN_ORIGIN: '此网站未获准使用该收银台。',
  NOT_FOUND: '未找到。',
  ORDER_NOT_FOUND: '订单不存在。',
  QR_NOT_AVAILABLE: '暂时无法获取付款二维码。',
  METHOD_NOT_ALLOWED: '不支持的请求方法。',
  PAYLOAD_TOO_LARGE: '请求内容过大。',
  UNSUPPORTED_MEDIA_TYPE: '请求内容类型不正确。',
  PRICE_NOT_ALLOWED: '该金额不在本店接受的范围内。',
  UNKNOWN_PRODUCT: '商品不存在。',
  CHANNEL_NOT_ENABLED: '本店未开通该支付方式。',
  RATE_LIMITED: '下单过于频繁，请稍后再试。',
  TOO_MANY_OPEN_ORDERS: '您有太多未支付的订单，请先完成支付或稍后再试。',
  TOO_MANY_STREAMS: '此地址打开的订单状态连接过多，请关闭一些后重试。',
  INTERNAL: '服务器出错了，请重试。',
  GATEWAY_REJECTED: '支付网关未能创建订单，请重试。',
  GATEWAY_SIGN_FAIL: '商户配置有误（签名被拒绝），请联系商家。',
  GATEWAY_BAD_PARAMS: '支付网关拒绝了订单参数，请联系商家。',
  GATEWAY_BAD_RESPONSE: '支付网关返回异常，请重试。',
  GATEWAY_AMOUNT_MISMATCH: '支付网关给出的付款金额与订单金额相差过大，订单已取消，请稍后重试。',
  GATEWAY_UNAVAILABLE: '暂时无法连接支付网关，请重试。',
  GATEWAY_TIMEOUT: '支付网关响应超时，请重试。',
  SHUTTING_DOWN: '服务正在重启，请稍后再试。',
  SHOP_BUSY: '当前下单人数过多，请稍后再试。',
  SERVER_BUSY: '服务器繁忙，请稍后再试。',
  INVALID_FILTER: '查询条件不正确。',
  NOT_SIGNED_IN: '请先登录。',
  WRONG_PASSWORD: '密码错误。',
  CSRF_REFUSED: '请求被拒绝（缺少或错误的安全令牌），请刷新页面后重试。',
  CONSOLE_OFF: '管理后台未开启：运行 npm run admin -- password 设置密码后重启。',
  EVENT_NOT_FOUND: '通知事件不存在。',
  NOT_IN_REVIEW: '该订单不在待审核状态。',
  REFUND_NOT_SUPPORTED: '当前支付网关不支持退款。',
  LOCKED_OUT: '密码错误次数过多，请稍后再试。',
};

const TRADITIONAL: Messages = {
  BAD_REQUEST: '請求格式不正確。',
  INVALID_PRICE: '金額格式不正確，請填寫如 9.90 的金額。',
  INVALID_CHANNEL: '不支援該付款方式。',
  INVALID_PARAM: '附加參數不正確。',
  UNAUTHORIZED: '未經授權的請求。',
  FORBIDDEN_ORIGIN: '此網站未獲准使用該收銀台。',
  NOT_FOUND: '找不到。',
  ORDER_NOT_FOUND: '訂單不存在。',
  QR_NOT_AVAILABLE: '暫時無法取得付款 QR 碼。',
  METHOD_NOT_ALLOWED: '不支援的請求方法。',
  PAYLOAD_TOO_LARGE: '請求內容過大。',
  UNSUPPORTED_MEDIA_TYPE: '請求內容類型不正確。',
  PRICE_NOT_ALLOWED: '該金額不在本店接受的範圍內。',
  UNKNOWN_PRODUCT: '商品不存在。',
  CHANNEL_NOT_ENABLED: '本店未開通該付款方式。',
  RATE_LIMITED: '下單過於頻繁，請稍後再試。',
  TOO_MANY_OPEN_ORDERS: '您有太多未付款的訂單，請先完成付款或稍後再試。',
  TOO_MANY_STREAMS: '此位址開啟的訂單狀態連線過多，請關閉一些後重試。',
  INTERNAL: '伺服器出錯了，請重試。',
  GATEWAY_REJECTED: '支付閘道未能建立訂單，請重試。',
  GATEWAY_SIGN_FAIL: '商家設定有誤（簽章被拒），請聯絡商家。',
  GATEWAY_BAD_PARAMS: '支付閘道拒絕了訂單參數，請聯絡商家。',
  GATEWAY_BAD_RESPONSE: '支付閘道回應異常，請重試。',
  GATEWAY_AMOUNT_MISMATCH: '支付閘道給出的付款金額與訂單金額相差過大，訂單已取消，請稍後重試。',
  GATEWAY_UNAVAILABLE: '暫時無法連線支付閘道，請重試。',
  GATEWAY_TIMEOUT: '支付閘道回應逾時，請重試。',
  SHUTTING_DOWN: '服務正在重新啟動，請稍後再試。',
  SHOP_BUSY: '目前下單人數過多，請稍後再試。',
  SERVER_BUSY: '伺服器忙碌中，請稍後再試。',
  INVALID_FILTER: '查詢條件不正確。',
  NOT_SIGNED_IN: '請先登入。',
  WRONG_PASSWORD: '密碼錯誤。',
  CSRF_REFUSED: '請求被拒絕（缺少或錯誤的安全權杖），請重新整理頁面後重試。',
  CONSOLE_OFF: '管理後台未開啟：執行 npm run admin -- password 設定密碼後重新啟動。',
  EVENT_NOT_FOUND: '通知事件不存在。',
  NOT_IN_REVIEW: '該訂單不在待審核狀態。',
  REFUND_NOT_SUPPORTED: '目前的支付閘道不支援退款。',
  LOCKED_OUT: '密碼錯誤次數過多，請稍後再試。',
};

/** The languages the signer's pages and messages speak. */
export type PageLocale = 'en' | 'zh-CN' | 'zh-TW';

/** The first language of an Accept-Language header that we speak; English when it names none. */
export function preferredLocale(acceptLanguage: string | undefined): PageLocale {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';');
      const q = Number(
        parameters
          .find((parameter) => parameter.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of tags) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return /^zh-(tw|hk|mo|hant)/.test(tag) ? 'zh-TW' : 'zh-CN';
  }
  return 'en';
}

const MESSAGES: Record<PageLocale, Messages | undefined> = { en: undefined, 'zh-CN': SIMPLIFIED, 'zh-TW': TRADITIONAL };

export function localizedMessage(
  code: ServerErrorCode,
  englishMessage: string,
  acceptLanguage: string | undefined,
): string {
  return MESSAGES[preferredLocale(acceptLanguage)]?.[code] || englishMessage;
}
