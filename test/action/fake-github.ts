import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the few GitHub REST endpoints the Action calls (issue comments of a pull
 * request), on 127.0.0.1: the GitHub API cannot be reached from here. It checks the token,
 * paginates as GitHub does (Link headers), and records every request.
 */
export class FakeGitHub {
  readonly comments = new Map<number, { id: number; body: string; issue: number }>();
  readonly requests: Array<{ method: string; path: string }> = [];
  private nextId = 1000;
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly repo: string,
    private readonly token: string,
    private readonly perPage = 2,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        },
        (err: unknown) => {
          res.writeHead(500).end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Comments of a pull request, oldest first. */
  on(issue: number): string[] {
    return [...this.comments.values()]
      .filter((c) => c.issue === issue)
      .sort((a, b) => a.id - b.id)
      .map((c) => c.body);
  }

  /** A comment someone else wrote. */
  addForeign(issue: number, body: string): void {
    const id = this.nextId++;
    this.comments.set(id, { id, body, issue });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: url.pathname });
    if (req.headers.authorization !== `token ${this.token}` && req.headers.authorization !== `Bearer ${this.token}`)
      return { status: 401, body: { message: 'Bad credentials' } };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const payload = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: string }) : {};
    const prefix = `/repos/${this.repo}/issues`;
    const list = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^${prefix}/comments/(\\d+)$`).exec(url.pathname);
    if (list && req.method === 'GET') {
      const all = [...this.comments.values()].filter((c) => c.issue === Number(list[1])).sort((a, b) => a.id - b.id);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.perPage);
      const page = Number(url.searchParams.get('page') ?? 1);
      const items = all.slice((page - 1) * perPage, page * perPage).map((c) => ({ id: c.id, body: c.body }));
      const more = page * perPage < all.length;
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      return { status: 200, body: items, ...(more ? { headers: { link: `<${next}>; rel="next"` } } : {}) };
    }
    if (list && req.method === 'POST') {
      const id = this.nextId++;
      this.comments.set(id, { id, body: payload.body ?? '', issue: Number(list[1]) });
      return { status: 201, body: { id, body: payload.body } };
    }
    if (one && req.method === 'PATCH') {
      const c = this.comments.get(Number(one[1]));
      if (!c) return { status: 404, body: { message: 'Not Found' } };
      c.body = payload.body ?? '';
      return { status: 200, body: { id: c.id, body: c.body } };
    }
    if (one && req.method === 'DELETE') {
      return this.comments.delete(Number(one[1])) ? { status: 204 } : { status: 404, body: { message: 'Not Found' } };
    }
    return { status: 404, body: { message: `no such endpoint here: ${req.method} ${url.pathname}` } };
  }
}
