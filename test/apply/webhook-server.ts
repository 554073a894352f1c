import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** A request a webhook server received. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The body's bytes as received. */
  readonly raw: Buffer;
}

/** Answers the n-th request (1-based); a handler that throws answers 500 with its message. */
export type Handler = (req: Seen, res: ServerResponse, n: number) => Promise<void> | void;

/** A server on 127.0.0.1 for the test that starts it: it records each request and answers with `handle`; closed when the test ends (or by `close`). */
export async function serve(handle: Handler): Promise<{ base: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => void chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw.toString('utf8'), raw };
      seen.push(s);
      Promise.resolve()
        .then(() => handle(s, res, seen.length))
        .catch((err: Error) => {
          res.writeHead(500);
          res.end(`test server: ${err.message}`);
        });
    });
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    server.closeAllConnections();
    return (closed ??= new Promise<void>((r) => server.close(() => r())));
  };
  onTestFinished(close);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close };
}
