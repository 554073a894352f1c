import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';
import type { WatchMetrics } from './metrics.js';

export interface WatchServerOptions {
  /** `host:port`, `:port` (all interfaces) or `port`; port 0 picks a free one. */
  readonly listen: string;
  readonly metrics: WatchMetrics;
  /** Why this replica is not ready (said by `/readyz` with a 503), or undefined when it is. */
  readonly notReady: () => string | undefined;
  /** A push webhook arrived: fetch now. */
  readonly onHook: () => void;
  /** When set, `/hooks/git` needs GitHub's `X-Hub-Signature-256` (HMAC-SHA256 of the body with this secret). */
  readonly webhookSecret?: string;
  readonly log: Logger;
  /** The web view's pages (`/`, `/apps/...`, `/events`...): true when it served the request. */
  readonly web?: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> };
}

export interface WatchServer {
  /** `http://host:port` as bound. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export function parseListen(listen: string): { host: string | undefined; port: number } {
  const at = listen.lastIndexOf(':');
  const host = at > 0 ? listen.slice(0, at).replace(/^\[|\]$/g, '') : undefined;
  const port = Number(at >= 0 ? listen.slice(at + 1) : listen);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--listen ${listen}: not a port or host:port`);
  return { host, port };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function signed(body: Buffer, secret: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** `/healthz`, `/readyz`, `/metrics` (Prometheus), `POST /hooks/git` (fetch now) and the web view's pages. */
export async function startWatchServer(opts: WatchServerOptions): Promise<WatchServer> {
  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'Content-Type': type }).end(body);
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'ok\n');
      if (req.method === 'GET' && path === '/readyz') {
        const why = opts.notReady();
        return why === undefined ? send(res, 200, 'ready\n') : send(res, 503, `not ready: ${why}\n`);
      }
      if (req.method === 'GET' && path === '/metrics') return send(res, 200, await opts.metrics.registry.metrics(), opts.metrics.registry.contentType);
      if (path === '/hooks/git') {
        if (req.method !== 'POST') return send(res, 405, 'POST only\n');
        const body = await readBody(req);
        if (!body) return send(res, 413, 'body too large\n');
        if (opts.webhookSecret !== undefined && !signed(body, opts.webhookSecret, req.headers['x-hub-signature-256'])) {
          opts.log.log('warn', 'webhook refused: bad or missing X-Hub-Signature-256', { from: req.socket.remoteAddress });
          return send(res, 401, 'bad signature\n');
        }
        opts.onHook();
        return send(res, 202, 'fetching\n');
      }
      if (opts.web && (await opts.web.handle(req, res))) return;
      return send(res, 404, 'not found\n');
    })().catch((err: unknown) => send(res, 500, `${(err as Error).message}\n`));
  });
  const { host, port } = parseListen(opts.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
