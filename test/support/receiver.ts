/** A real HTTP endpoint standing in for the merchant's webhook receiver: it records what it got. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  headers: IncomingMessage['headers'];
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Sets the status of the next answers, in order; after them, 200. */
  answerWith(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let planned: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const status = planned.shift() ?? 200;
    received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status });
    res.statusCode = status;
    res.end(status === 200 ? 'ok' : 'not now');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/codepay`,
    received,
    answerWith: (...statuses) => {
      planned = statuses;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
