/**
 * What every bench server does once it listens: tell the parent its URL over IPC, answer its
 * questions (memory after a full GC when run with --expose-gc; anything a server adds), and stop
 * when told to or when the parent goes away.
 */
export interface MemoryReport {
  rss: number;
  heapUsed: number;
  external: number;
}

/** A question from the bench: `{type, id, ...}`; the answer is `{type: 'answer', id, value}`. */
export interface Question {
  type: string;
  id: number;
  [field: string]: unknown;
}
export type ChildMessage =
  { type: 'ready'; url: string } | { type: 'answer'; id: number; value: unknown; error?: string };
export type Handlers = Record<string, (question: Question) => unknown>;

function memory(): MemoryReport {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

export function announce(url: string, stop: () => Promise<void>, handlers: Handlers = {}): void {
  const send = (message: ChildMessage) => process.send?.(message);
  const exit = () => void stop().finally(() => process.exit(0));
  const all: Handlers = { memory, stop: exit, ...handlers };
  process.on('message', (question: Question) => {
    const handler = all[question.type];
    Promise.resolve()
      .then(() => handler?.(question))
      .then(
        (value) => send({ type: 'answer', id: question.id, value }),
        (error: Error) => send({ type: 'answer', id: question.id, value: undefined, error: error.message }),
      );
  });
  process.once('SIGTERM', exit);
  // Exit with the parent, whatever way it ended.
  process.once('disconnect', exit);
  send({ type: 'ready', url });
}
