/** Baseline for the notify: bare Koa + koa-bodyparser echoing a form. */
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { listenAndAnnounce } from './listen.ts';

const app = new Koa();
app.use(bodyParser({ enableTypes: ['form'] }));
app.use((ctx) => {
  ctx.body = ctx.request.body;
});
await listenAndAnnounce(app.callback());
