import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: any;
}

/** How the server answers a request: a status (and body, headers), or never (`hang`). */
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/**
 * An HTTP server on 127.0.0.1 standing in for a webhook, Slack or GitHub: it records every
 * request and answers as told (by default 200 `{}`).
 */
export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Sets how the next requests are answered: a function of the request (and its index). */
  reply(fn: (req: RecordedRequest, index: number) => Reply): void;
  /** Resolves when `count` requests have arrived. */
  received(count: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let answer: (req: RecordedRequest, index: number) => Reply = () => ({ status: 200, body: {} });
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      const index = requests.push(recorded) - 1;
      for (const w of waiters.splice(0)) {
        if (requests.length >= w.count) w.resolve();
        else waiters.push(w);
      }
      const r = answer(recorded, index);
      if (r === 'hang') return;
      res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(fn) {
      answer = fn;
    },
    received(count) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(requests.slice()) }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
