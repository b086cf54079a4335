/**
 * Context for the watchers figure: the memory floor of an open event stream in plain node:http,
 * no framework. Answers any `/api/orders/:id/events` with a `pending` event and holds it open.
 */
import { listenAndAnnounce } from './listen.ts';

await listenAndAnnounce((req, res) => {
  const id = (req.url ?? '').split('/')[3] ?? '';
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
  res.write(`retry: 2000\n\nevent: pending\ndata: ${JSON.stringify({ id })}\n\n`);
});
