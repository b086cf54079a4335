/** Listens on 127.0.0.1, a port the system picks, and announces the URL to the bench. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce } from './announce.ts';

export async function listenAndAnnounce(handler: RequestListener): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  announce(`http://127.0.0.1:${port}`, async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
}
