/**
 * The hot lane: the routes that carry the load (order creation and reads, event streams, the
 * gateway's notify) answered on plain node:http before Koa, whose middleware chain and per-request context cost more
 * than the answers themselves (bench/README). Every other request falls through to Koa.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';
import { ApiError } from '../../errors.ts';
import { orderCreation, type CreateOrderDeps } from './create-order.ts';
import { Exchange } from './exchange.ts';
import { readOrder, receiveNotify, watchOrder, type RouteDeps } from './routes.ts';

export interface HotLaneDeps extends RouteDeps, CreateOrderDeps {
  log: Logger;
  isAllowedOrigin: (origin: string) => boolean;
}

interface Route {
  /** The methods served. */
  methods: readonly string[];
  /** CORS applies (the widget's calls), or not (the notify comes from the gateway's server). */
  cors: boolean;
  serve(exchange: Exchange, id: string): Promise<void>;
}

/** As @koa/router matched them: case-insensitive, an optional trailing slash. */
const ORDERS_PATH = /^\/api\/orders\/?$/i;
const ORDER_PATH = /^\/api\/orders\/([^/]+?)(\/events)?\/?$/i;
const NOTIFY_PATH = /^\/api\/notify\/?$/i;

function decodeParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Returns the lane's handler: true when it took the request, false to leave it to Koa. */
export function hotLane(deps: HotLaneDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { log, isAllowedOrigin } = deps;
  const create: Route = { methods: ['POST'], cors: true, serve: orderCreation(deps) };
  const read: Route = { methods: ['HEAD', 'GET'], cors: true, serve: (exchange, id) => readOrder(deps, exchange, id) };
  const events: Route = { methods: ['HEAD', 'GET'], cors: true, serve: (exchange, id) => watchOrder(deps, exchange, id) };
  const notify: Route = { methods: ['POST'], cors: false, serve: (exchange) => receiveNotify(deps, exchange) };

  const serve = async (exchange: Exchange, route: Route, id: string) => {
    try {
      if (route.cors && !exchange.cors(isAllowedOrigin)) return;
      const method = exchange.req.method ?? '';
      const allow = route.methods.join(', ');
      if (method === 'OPTIONS') return void exchange.writeHead(200, ['Allow', allow, 'Content-Length', '0']).end();
      if (!route.methods.includes(method)) {
        exchange.set('Allow', allow);
        throw new ApiError('METHOD_NOT_ALLOWED', 'This method is not allowed here.');
      }
      await route.serve(exchange, id);
    } catch (caught) {
      exchange.refuse(caught);
    }
  };

  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    let route: Route | undefined;
    let id = '';
    const order = ORDER_PATH.exec(path);
    if (order) {
      route = order[2] ? events : read;
      id = decodeParam(order[1]);
    } else if (ORDERS_PATH.test(path)) route = create;
    else if (NOTIFY_PATH.test(path)) route = notify;
    if (!route) return false;
    void serve(new Exchange(req, res, path, log), route, id);
    return true;
  };
}
