/**
 * The console's strings (one row per message: en, zh-CN, zh-TW) and its language: the one the
 * merchant chose last (kept in localStorage), else the browser's. Reuses the widget's table lookup
 * and locale rules, so both speak the same Chinese variants.
 */
import type { OrderStatus } from '../../shared/api.ts';
import { pickLocale, strings, type Locale, type Strings } from '../i18n.ts';

export type { Locale };
export const LOCALES: readonly Locale[] = ['en', 'zh-CN', 'zh-TW'];
/** Each language named in itself, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };

const STORAGE_KEY = 'codepay-console-locale';

const TABLE = {
  console: ['Console', '商户后台', '商戶後台'],
  mainNav: ['Main', '主菜单', '主選單'],
  overview: ['Overview', '概览', '概覽'],
  orders: ['Orders', '订单', '訂單'],
  health: ['Health', '运行状态', '運行狀態'],
  products: ['Products', '商品', '商品'],
  signOut: ['Sign out', '退出登录', '登出'],
  language: ['Language', '语言', '語言'],
  darkTheme: ['Dark theme', '深色主题', '深色主題'],
  loading: ['Loading…', '加载中…', '載入中…'],
  retry: ['Try again', '重试', '重試'],
  // Sign-in
  signIn: ['Sign in', '登录', '登入'],
  password: ['Password', '密码', '密碼'],
  signInIntro: [
    'Sign in with the console password set by `npm run admin -- password`.',
    '请输入用 `npm run admin -- password` 设置的后台密码。',
    '請輸入以 `npm run admin -- password` 設定的後台密碼。',
  ],
  wrongPassword: ['Wrong password.', '密码错误。', '密碼錯誤。'],
  lockedOut: [
    'Too many failed attempts. Sign-in is locked; try again in {n} min.',
    '失败次数过多，登录已锁定，请 {n} 分钟后再试。',
    '失敗次數過多，登入已鎖定，請 {n} 分鐘後再試。',
  ],
  consoleOff: [
    'The console is off. Set its password with `npm run admin -- password`, then restart the signer.',
    '后台未开启。请用 `npm run admin -- password` 设置密码，然后重启签名服务。',
    '後台未開啟。請以 `npm run admin -- password` 設定密碼，然後重新啟動簽名服務。',
  ],
  signedOut: ['Your session has ended. Sign in again.', '会话已结束，请重新登录。', '工作階段已結束，請重新登入。'],
  // Overview
  today: ['Today', '今日', '今日'],
  thisMonth: ['This month', '本月', '本月'],
  takings: ['Takings', '收入', '收入'],
  paidOrders: ['Paid orders: {n}', '{n} 笔已支付订单', '{n} 筆已付款訂單'],
  byStatus: ['Orders by status', '各状态订单', '各狀態訂單'],
  perDay: ['Takings per day, last 30 days', '近 30 天每日收入', '近 30 天每日收入'],
  chartSummary: [
    '{total} in 30 days; best day {day} with {best}.',
    '30 天共 {total}；最高为 {day}，{best}。',
    '30 天共 {total}；最高為 {day}，{best}。',
  ],
  showTable: ['Show as a table', '以表格显示', '以表格顯示'],
  day: ['Day', '日期', '日期'],
  count: ['Orders', '订单数', '訂單數'],
  needsLook: ['Needs a look', '需要处理', '需要處理'],
  needsLookCount: ['Payments that need a look: {n}', '{n} 笔付款需要处理', '{n} 筆付款需要處理'],
  nothingNeedsLook: ['Nothing needs a look.', '没有需要处理的付款。', '沒有需要處理的付款。'],
  kind: ['Kind', '类型', '類型'],
  kindReview: ['Amount differs (review)', '金额不符（待审核）', '金額不符（待審核）'],
  kindOrphan: ['No such order (orphan)', '无对应订单', '無對應訂單'],
  kindExtra: ['Paid twice (extra)', '重复支付', '重複付款'],
  received: ['Received', '收到时间', '收到時間'],
  // Orders
  filters: ['Filters', '筛选', '篩選'],
  status: ['Status', '状态', '狀態'],
  any: ['Any', '全部', '全部'],
  channel: ['Channel', '支付方式', '付款方式'],
  from: ['From', '开始日期', '開始日期'],
  to: ['To', '结束日期', '結束日期'],
  search: ['Search id, reference, param', '搜索订单号、商户单号、参数', '搜尋訂單號、商戶單號、參數'],
  apply: ['Apply', '应用', '套用'],
  clear: ['Clear', '清除', '清除'],
  exportCsv: ['Export CSV', '导出 CSV', '匯出 CSV'],
  order: ['Order', '订单', '訂單'],
  price: ['Price', '价格', '價格'],
  money: ['Paid amount', '实付金额', '實付金額'],
  toPay: ['Amount to pay', '应付金额', '應付金額'],
  product: ['Product', '商品', '商品'],
  reference: ['Reference', '商户单号', '商戶單號'],
  param: ['Param', '参数', '參數'],
  created: ['Created', '创建时间', '建立時間'],
  paidAt: ['Paid', '支付时间', '付款時間'],
  noOrders: ['No orders match.', '没有符合条件的订单。', '沒有符合條件的訂單。'],
  pageOf: ['Page {n} of {m} · {total} orders', '第 {n}/{m} 页 · 共 {total} 笔', '第 {n}/{m} 頁 · 共 {total} 筆'],
  previous: ['Previous', '上一页', '上一頁'],
  next: ['Next', '下一页', '下一頁'],
  pagination: ['Pages', '分页', '分頁'],
  live: [
    'Live: new orders and payments show as they happen.',
    '实时：新订单和付款会自动显示。',
    '即時：新訂單與付款會自動顯示。',
  ],
  late: ['late', '逾期支付', '逾期付款'],
  // One order
  back: ['All orders', '全部订单', '全部訂單'],
  details: ['Details', '详情', '詳情'],
  payments: ['Payments', '付款记录', '付款紀錄'],
  payNo: ['Payment no.', '支付流水号', '付款流水號'],
  outcome: ['Outcome', '结果', '結果'],
  noPayments: ['No payment received.', '尚未收到付款。', '尚未收到付款。'],
  history: ['Status history', '状态变更', '狀態變更'],
  at: ['Time', '时间', '時間'],
  change: ['Change', '变更', '變更'],
  webhooks: ['Webhook deliveries', 'Webhook 推送', 'Webhook 推送'],
  event: ['Event', '事件', '事件'],
  destination: ['Destination', '目标', '目標'],
  attempts: ['Attempts', '尝试次数', '嘗試次數'],
  delivery: ['Delivery', '推送结果', '推送結果'],
  answer: ['Answer', '应答', '應答'],
  delivered: ['delivered {t}', '{t} 已送达', '{t} 已送達'],
  givenUp: ['given up {t}', '{t} 已放弃', '{t} 已放棄'],
  nextAttempt: ['next attempt {t}', '下次尝试 {t}', '下次嘗試 {t}'],
  noEvents: ['No events.', '没有事件。', '沒有事件。'],
  events: ['Events', '事件', '事件'],
  actions: ['Actions', '操作', '操作'],
  actionLog: ['Recorded actions', '操作记录', '操作紀錄'],
  actor: ['By', '操作人', '操作人'],
  result: ['Result', '结果', '結果'],
  noActions: ['No actions yet.', '暂无操作。', '暫無操作。'],
  accept: ['Accept the payment', '接受付款', '接受付款'],
  reject: ['Reject the payment', '拒绝付款', '拒絕付款'],
  acceptConfirm: [
    'Accept {money} as payment of order {id}? It turns paid and your server is told (order.paid).',
    '确认接受 {money} 作为订单 {id} 的付款？订单将变为已支付并通知您的服务器（order.paid）。',
    '確認接受 {money} 作為訂單 {id} 的付款？訂單將變為已付款並通知您的伺服器（order.paid）。',
  ],
  rejectConfirm: [
    'Reject the payment of order {id}? The order will not be paid.',
    '确认拒绝订单 {id} 的付款？订单不会变为已支付。',
    '確認拒絕訂單 {id} 的付款？訂單不會變為已付款。',
  ],
  reconcile: ['Reconcile now', '立即对账', '立即對帳'],
  reconcileConfirm: [
    'Ask the gateway about order {id} now?',
    '现在向支付网关查询订单 {id}？',
    '現在向支付閘道查詢訂單 {id}？',
  ],
  reconciled: [
    'The gateway was asked: {n} payment found.',
    '已查询网关：找到 {n} 笔付款。',
    '已查詢閘道：找到 {n} 筆付款。',
  ],
  resend: ['Re-send', '重新推送', '重新推送'],
  resendConfirm: [
    'Send event {id} to your server again?',
    '再次向您的服务器推送事件 {id}？',
    '再次向您的伺服器推送事件 {id}？',
  ],
  resent: ['Queued to be sent again.', '已加入重新推送队列。', '已加入重新推送佇列。'],
  refund: ['Refund', '退款', '退款'],
  refundConfirm: [
    'Refund order {id} in full at the gateway?',
    '确认在支付网关为订单 {id} 全额退款？',
    '確認在支付閘道為訂單 {id} 全額退款？',
  ],
  done: ['Done.', '已完成。', '已完成。'],
  confirm: ['Confirm', '确认', '確認'],
  cancel: ['Cancel', '取消', '取消'],
  // Health
  gateway: ['Gateway', '支付网关', '支付閘道'],
  reachable: ['reachable', '可连接', '可連線'],
  unreachable: ['unreachable', '无法连接', '無法連線'],
  latency: ['{n} ms', '{n} 毫秒', '{n} 毫秒'],
  checked: ['Checked', '检查时间', '檢查時間'],
  lastNotify: ['Last notify received', '最近收到的回调', '最近收到的回呼'],
  lastPayment: ['Last payment stored', '最近记录的付款', '最近記錄的付款'],
  never: ['never', '从未', '從未'],
  outbox: ['Outbox backlog', '待推送事件', '待推送事件'],
  outboxLine: ['{n} waiting, {g} given up', '{n} 条等待中，{g} 条已放弃', '{n} 筆等待中，{g} 筆已放棄'],
  watchers: ['Watchers held', '监听连接', '監聽連線'],
  watchersLine: [
    '{n} order watchers, {s} console streams',
    '{n} 个订单监听，{s} 个后台连接',
    '{n} 個訂單監聽，{s} 個後台連線',
  ],
  database: ['Database', '数据库', '資料庫'],
  writes: ['Database writes', '数据库写入', '資料庫寫入'],
  writesOk: ['working', '正常', '正常'],
  writesFailing: ['failing', '失败', '失敗'],
  mode: ['Mode', '模式', '模式'],
  sandbox: ['sandbox', '沙箱', '沙箱'],
  live_: ['live', '正式', '正式'],
  // Products
  link: ['Payment link', '支付链接', '付款連結'],
  productsIntro: [
    'Share a product’s link in a chat, or print its QR code.',
    '可以在聊天中发送商品链接，或打印二维码。',
    '可以在聊天中傳送商品連結，或列印 QR 碼。',
  ],
  qrOf: ['QR code of the link to {name}', '{name} 的支付链接二维码', '{name} 的付款連結 QR 碼'],
  print: ['Print', '打印', '列印'],
  copy: ['Copy link', '复制链接', '複製連結'],
  copied: ['Copied.', '已复制。', '已複製。'],
  noProducts: ['No products (PRODUCTS setting).', '尚未设置商品（PRODUCTS）。', '尚未設定商品（PRODUCTS）。'],
  openAmount: ['Open amounts from {min} to {max}:', '任意金额（{min} 至 {max}）：', '任意金額（{min} 至 {max}）：'],
  // Order statuses and payment outcomes
  creating: ['creating', '创建中', '建立中'],
  pending: ['pending', '待支付', '待付款'],
  paid: ['paid', '已支付', '已付款'],
  expired: ['expired', '已过期', '已過期'],
  failed: ['failed', '失败', '失敗'],
  review: ['review', '待审核', '待審核'],
  refunded: ['refunded', '已退款', '已退款'],
  orphan: ['orphan', '无主', '無主'],
  extra: ['extra', '重复', '重複'],
  ok: ['ok', '成功', '成功'],
  refused: ['refused', '被拒绝', '被拒絕'],
  error: ['Something went wrong: {m}', '出错了：{m}', '發生錯誤：{m}'],
} satisfies Strings;

export type Key = keyof typeof TABLE;
const lookup = strings(TABLE);

/** The message `key` in `locale`, with `{name}` placeholders filled from `values`. */
export function t(locale: Locale, key: Key, values: Record<string, string | number> = {}): string {
  return lookup(locale, key).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** An order status or payment outcome in words; one the table does not know, as it is. */
export const statusName = (locale: Locale, status: OrderStatus | string): string =>
  Object.hasOwn(TABLE, status) ? t(locale, status as Key) : status;

export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LOCALES as string[]).includes(saved)) return saved as Locale;
  // The widget's rules: no element language here, so the browser's.
  return pickLocale({ closest: () => null });
}

export const saveLocale = (locale: Locale): void => localStorage.setItem(STORAGE_KEY, locale);
