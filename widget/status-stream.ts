/**
 * Follows one order's status: Server-Sent Events while a stream can be held, polling with backoff
 * and jitter when it can't; paused while the tab is hidden, checked at once when it comes back or
 * when the network returns.
 */
import { isFinalStatus, ORDER_STATUSES, type OrderStatus, type OrderView } from '../shared/api.ts';
import { getOrder, orderUrl } from './order-api.ts';

const POLL_MIN_MS = 1_500;
const POLL_MAX_MS = 20_000;
/** Errors in a row before giving up on the stream (EventSource retries by itself, ~3 s, in between). */
const STREAM_ATTEMPTS = 2;

export interface StatusWatch {
  /** Asks the signer now, whatever the transport (e.g. when the countdown reaches zero). */
  check(): void;
  close(): void;
}

export function watchOrder(endpoint: string, id: string, onView: (view: OrderView) => void): StatusWatch {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling = typeof EventSource !== 'function';
  let streamErrors = 0;
  let delay = POLL_MIN_MS;
  let last: OrderStatus | undefined;
  let closed = false;

  const receive = (view: OrderView): void => {
    if (closed) return;
    if (view.status !== last) delay = POLL_MIN_MS; // things are moving: keep looking closely
    last = view.status;
    onView(view);
    if (isFinalStatus(view.status)) close();
  };

  const stop = (): void => {
    source?.close();
    source = undefined;
    clearTimeout(timer);
  };

  const schedule = (): void => {
    clearTimeout(timer);
    const jitter = 0.8 + Math.random() * 0.4; // spreads many buyers' requests apart
    timer = setTimeout(poll, delay * jitter);
    delay = Math.min(delay * 1.6, POLL_MAX_MS);
  };

  const poll = async (): Promise<void> => {
    try {
      receive(await getOrder(endpoint, id));
    } catch {
      delay = Math.min(delay * 2, POLL_MAX_MS);
    }
    if (!closed && polling && !document.hidden) schedule();
  };

  const stream = (): void => {
    const es = new EventSource(`${orderUrl(endpoint, id)}/events`);
    source = es;
    const onMessage = (event: MessageEvent<string>): void => {
      streamErrors = 0;
      try {
        receive(JSON.parse(event.data) as OrderView);
      } catch {
        // A malformed event: the next one, or a poll, carries the state again.
      }
    };
    for (const status of ORDER_STATUSES) es.addEventListener(status, onMessage);
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED || ++streamErrors >= STREAM_ATTEMPTS) {
        stop();
        polling = true;
        void poll();
      }
    };
  };

  const resume = (): void => {
    if (closed || document.hidden) return;
    stop();
    if (polling) void poll();
    else stream(); // the stream sends the current state first
  };

  const onVisibility = (): void => (document.hidden ? stop() : resume());
  const onOnline = (): void => {
    // A dropped network is the usual reason a stream fails: try it again before polling.
    polling = typeof EventSource !== 'function';
    streamErrors = 0;
    delay = POLL_MIN_MS;
    resume();
  };

  function close(): void {
    closed = true;
    stop();
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('online', onOnline);
  }

  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('online', onOnline);
  resume();

  return {
    check: () => {
      if (!closed) void getOrder(endpoint, id).then(receive, () => {});
    },
    close,
  };
}
