/** Baseline for GET /api/orders/:id: bare Koa + @koa/router answering a fixed JSON. */
import Koa from 'koa';
import Router from '@koa/router';
import { listenAndAnnounce } from './listen.ts';

const FIXED = {
  id: 'rEKIGF-vPgergLpR3wCZghj4',
  status: 'pending',
  price: '9.90',
  money: '9.89',
  type: 1,
  product: null,
  param: null,
  reference: null,
  qr: { payload: 'http://127.0.0.1:8787/sandbox/pay/6313229228601' },
  createdAt: 1795649382871,
  expiresAt: 1795649742971,
  paidAt: null,
  late: false,
  refunded: null,
  serverTime: 1795649382972,
};

const router = new Router({ prefix: '/api' });
router.get('/orders/:id', (ctx) => {
  ctx.body = FIXED;
});
const app = new Koa();
app.use(router.routes());
await listenAndAnnounce(app.callback());
