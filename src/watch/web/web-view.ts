import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../apply/clock.js';
import { appPage } from '../../dashboard/app-page.js';
import { appsPage } from '../../dashboard/apps-page.js';
import { DashboardState, type CommitInfo } from '../../dashboard/dashboard-state.js';
import { historyPage } from '../../dashboard/history-page.js';
import { LIVE_SCRIPT } from '../../dashboard/live-script.js';
import { CONTENT_SECURITY_POLICY, LIVE_SCRIPT_PATH, renderPage, type Page } from '../../dashboard/page.js';
import type { WatchEvent } from '../daemon.js';
import type { Logger } from '../logger.js';
import type { StatusReport } from '../status-report.js';
import { escapeHtml as esc } from '../../view/escape-html.js';
import type { WebAuth } from './web-auth.js';

export interface WebViewOptions {
  /** Applied to every text the pages show, and to the whole page again: no secret value reaches a browser. */
  readonly scrub: (text: string) => string;
  /** The same, over a value's strings (events, results, reports). */
  readonly scrubJson: <T>(value: T) => T;
  readonly revisionInfo: (sha: string) => Promise<CommitInfo | undefined>;
  /** The last `limit` status reports of an app (git), newest first. */
  readonly history: (key: string, limit: number) => Promise<StatusReport[]>;
  /** The Jobs page, read from the cluster now. */
  readonly jobs: (apps: ReturnType<DashboardState['apps']>) => Promise<Page>;
  readonly auth?: WebAuth;
  readonly clock: Clock;
  readonly log: Logger;
  /** Shown at the foot of every page (the repository and branch followed, the environment). */
  readonly footer?: string;
  /** Why this replica does not apply (on standby behind the leader), said on the apps page. */
  readonly standby?: () => string | undefined;
  /** How often the Jobs page is read again for its open event streams. */
  readonly jobsRefreshMs?: number;
}

/** Applies shown on an app's history page. */
const HISTORY_LIMIT = 20;
/** Event streams served at once; beyond, 503 (each holds a connection and renders on every change). */
const MAX_STREAMS = 100;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** A read of the Jobs page serves every stream and page load within this long. */
const JOBS_FRESH_MS = 1000;
/** Changes within this window are sent together. */
const BATCH_MS = 100;

/** What a page's stream renders again on: any change of the daemon's state, a status report of one app, or a timer. */
/**
 * What a page's stream renders again on: a change of the daemon's state (of one app's, for an app's
 * page: `key`), a status report of one app, or a timer.
 */
type Trigger = { readonly kind: 'state'; readonly key?: string } | { readonly kind: 'status'; readonly key: string } | { readonly kind: 'timer' };

interface Stream {
  readonly res: ServerResponse;
  readonly trigger: Trigger;
  readonly render: () => Promise<Page | undefined>;
  /** The fragments' HTML as last sent, by id. */
  readonly sent: Map<string, string>;
  busy: boolean;
  again: boolean;
}

interface Route {
  readonly render: () => Promise<Page | undefined>;
  readonly trigger: Trigger;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * The daemon's web view (read-only): `/` the apps, `/apps/<key>` an app's workflow live,
 * `/history/<key>` its last applies from git, `/jobs` the apps' Jobs from the cluster, `/events`
 * the stream of a page's changed fragments (Server-Sent Events), `/assets/live.js` the script that
 * follows it. Fed by the daemon's events (feed), scrubbed on the way in and out.
 */
export class WebView {
  private readonly state: DashboardState;
  private readonly streams = new Set<Stream>();
  private batch: NodeJS.Timeout | undefined;
  private changedApps: Set<string> | 'all' = new Set();
  private jobs: { readonly at: number; readonly page: Promise<Page> } | undefined;
  private jobsTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  /** Commits asked about (once each: a source that cannot tell is not asked again). */
  private readonly asked = new Set<string>();

  constructor(private readonly opts: WebViewOptions) {
    this.state = new DashboardState(opts.scrub);
    this.heartbeat = setInterval(() => {
      for (const s of this.streams) s.res.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** The daemon's events (Watcher's onEvent). */
  feed(e: WatchEvent): void {
    const { scrub, scrubJson, clock } = this.opts;
    switch (e.type) {
      case 'revision':
        this.state.revisionCompiled(
          e.revision,
          e.apps.map((a) => ({ app: a.app, last: a.last && scrubJson(a.last) })),
        );
        break;
      case 'revision-rejected':
        this.state.revisionRejected(e.revision, e.problems.map(scrub));
        break;
      case 'apply-start':
        this.state.applyStarted(e.app, e.revision, e.trigger, e.at);
        break;
      case 'apply-progress':
        this.state.progress(e.app, scrubJson(e.event), clock.now());
        break;
      case 'apply-end':
        this.state.applyEnded(e.app, e.report.commit, e.report.trigger, scrubJson(e.result));
        break;
      case 'drift-checked':
        this.state.driftChecked(e.app, e.objects);
        break;
      case 'status-written':
        this.changed({ kind: 'status', key: e.app });
        return;
      case 'round':
      case 'drift':
      case 'status-push-failed':
        return;
    }
    this.askCommits();
    // A new revision, or one refused, changes every page; the rest one app's.
    this.changed(e.type === 'revision' || e.type === 'revision-rejected' ? { kind: 'state' } : { kind: 'state', key: e.app });
  }

  /** Serves a web view request; false when the path is not the web view's (/metrics, /healthz... are the server's). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://kubemin');
    const path = url.pathname;
    const route = path === LIVE_SCRIPT_PATH || path === '/events' ? undefined : this.route(path, url.searchParams);
    if (!route && path !== LIVE_SCRIPT_PATH && path !== '/events') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('the web view is read-only: GET only\n');
      return true;
    }
    if (this.opts.auth && !this.opts.auth.allows(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': this.opts.auth.challenge, 'Content-Type': 'text/plain; charset=utf-8' }).end('credentials needed\n');
      return true;
    }
    if (path === LIVE_SCRIPT_PATH) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' }).end(LIVE_SCRIPT);
      return true;
    }
    if (path === '/events') {
      this.stream(req, res, url.searchParams.get('page') ?? '/');
      return true;
    }
    const page = await route!.render();
    if (!page) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }).end(this.html(notFound(path), undefined));
      return true;
    }
    const events = `/events?page=${encodeURIComponent(path)}`;
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : this.html(page, events));
    return true;
  }

  /** Something outside the daemon's events changed (leadership): the open pages render again. */
  refresh(): void {
    this.changed({ kind: 'state' });
  }

  /** Ends the event streams (the daemon stops). */
  close(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.batch);
    clearInterval(this.jobsTimer);
    for (const s of this.streams) s.res.end();
    this.streams.clear();
  }

  private route(path: string, query: URLSearchParams): Route | undefined {
    const state: Trigger = { kind: 'state' };
    if (path === '/') return { render: async () => appsPage(this.state, { q: query.get('q') ?? '', standby: this.opts.standby?.() }), trigger: state };
    if (path === '/jobs') return { render: () => this.jobsPage(), trigger: { kind: 'timer' } };
    const app = /^\/apps\/(.+)$/.exec(path);
    if (app) {
      const key = decodeKey(app[1]!);
      return {
        render: async () => {
          const entry = key === undefined ? undefined : this.state.app(key);
          return entry && appPage(entry, (sha) => this.state.commit(sha));
        },
        trigger: key === undefined ? state : { kind: 'state', key },
      };
    }
    const history = /^\/history\/(.+)$/.exec(path);
    if (history) {
      const key = decodeKey(history[1]!);
      if (key === undefined) return { render: async () => undefined, trigger: state };
      return { render: () => this.historyPage(key), trigger: { kind: 'status', key } };
    }
    return undefined;
  }

  /** The Jobs page, read from the cluster once for every stream and load within JOBS_FRESH_MS (its LISTs are not sent per viewer). */
  private jobsPage(): Promise<Page> {
    const now = this.opts.clock.now();
    if (!this.jobs || now - this.jobs.at >= JOBS_FRESH_MS) {
      const page = this.opts.jobs(this.state.apps());
      this.jobs = { at: now, page };
      // A failed read is not kept: the next asks the cluster again.
      page.catch(() => {
        if (this.jobs?.page === page) this.jobs = undefined;
      });
    }
    return this.jobs.page;
  }

  private async historyPage(key: string): Promise<Page | undefined> {
    if (!this.state.app(key)) return undefined;
    const reports = this.opts.scrubJson(await this.opts.history(key, HISTORY_LIMIT));
    const commits = new Map<string, CommitInfo>();
    await Promise.all(
      [...new Set(reports.map((r) => r.commit))].map(async (sha) => {
        const info = this.state.commit(sha) ?? (await this.opts.revisionInfo(sha).catch(() => undefined));
        if (info) commits.set(sha, { subject: this.opts.scrub(info.subject), authorName: this.opts.scrub(info.authorName), time: info.time });
      }),
    );
    return historyPage({ key }, reports, commits);
  }

  private html(page: Page, events: string | undefined): string {
    return this.opts.scrub(renderPage(page, { ...(events ? { events } : {}), ...(this.opts.footer ? { footer: this.opts.footer } : {}) }));
  }

  private stream(req: IncomingMessage, res: ServerResponse, pagePath: string): void {
    const url = new URL(pagePath, 'http://kubemin');
    const route = url.pathname === '/events' ? undefined : this.route(url.pathname, url.searchParams);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`no page ${pagePath}\n`);
      return;
    }
    if (this.streams.size >= MAX_STREAMS) {
      res.writeHead(503, { 'Retry-After': '30', 'Content-Type': 'text/plain; charset=utf-8' }).end('too many open event streams\n');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n\n');
    const stream: Stream = { res, trigger: route.trigger, render: route.render, sent: new Map(), busy: false, again: false };
    this.streams.add(stream);
    req.on('close', () => {
      this.streams.delete(stream);
      if (![...this.streams].some((s) => s.trigger.kind === 'timer')) {
        clearInterval(this.jobsTimer);
        this.jobsTimer = undefined;
      }
    });
    if (route.trigger.kind === 'timer' && !this.jobsTimer) {
      this.jobsTimer = setInterval(() => this.changed({ kind: 'timer' }), this.opts.jobsRefreshMs ?? 5000);
      this.jobsTimer.unref();
    }
    // What changed between the page's load and now.
    void this.send(stream);
  }

  /** Something changed: the streams it concerns render again (together, after BATCH_MS) and send what differs. */
  private changed(trigger: Trigger): void {
    const due = [...this.streams].filter(
      (s) => s.trigger.kind === trigger.kind && (trigger.kind !== 'status' || (s.trigger.kind === 'status' && s.trigger.key === trigger.key)),
    );
    if (trigger.kind !== 'state') {
      for (const s of due) void this.send(s);
      return;
    }
    // The apps changed within the batch (`all` once a change concerns every page).
    if (trigger.key === undefined) this.changedApps = 'all';
    else if (this.changedApps !== 'all') this.changedApps.add(trigger.key);
    if (this.batch) return;
    this.batch = setTimeout(() => {
      const apps = this.changedApps;
      this.batch = undefined;
      this.changedApps = new Set();
      for (const s of this.streams)
        if (s.trigger.kind === 'state' && (apps === 'all' || s.trigger.key === undefined || apps.has(s.trigger.key))) void this.send(s);
    }, BATCH_MS);
  }

  private async send(stream: Stream): Promise<void> {
    if (stream.busy) {
      stream.again = true;
      return;
    }
    stream.busy = true;
    try {
      do {
        stream.again = false;
        const page = await stream.render();
        if (!page || !this.streams.has(stream)) continue;
        for (const f of page.fragments) {
          const html = this.opts.scrub(f.html);
          if (stream.sent.get(f.id) === html) continue;
          stream.sent.set(f.id, html);
          stream.res.write(`event: fragment\ndata: ${JSON.stringify({ id: f.id, html })}\n\n`);
        }
      } while (stream.again);
    } catch (err) {
      this.opts.log.log('warn', 'web view: a page could not be rendered for its event stream', { error: (err as Error).message });
    } finally {
      stream.busy = false;
    }
  }

  /** Learns the subject and author of the commits shown, once each (git, in the background). */
  private askCommits(): void {
    for (const sha of this.state.missingCommits()) {
      if (this.asked.has(sha)) continue;
      this.asked.add(sha);
      this.opts
        .revisionInfo(sha)
        .then((info) => {
          if (info) {
            this.state.setCommit(sha, { subject: this.opts.scrub(info.subject), authorName: this.opts.scrub(info.authorName), time: info.time });
            this.changed({ kind: 'state' });
          }
        })
        // Asked again when next shown.
        .catch(() => this.asked.delete(sha));
    }
  }
}

/** `shop` or `production/shop` from the path, each segment URL-decoded; undefined when it does not decode. */
function decodeKey(rest: string): string | undefined {
  try {
    return rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

function notFound(path: string): Page {
  return {
    title: 'Not found',
    section: 'apps',
    heading: 'Not found',
    fragments: [{ id: 'not-found', html: `<p id="not-found">Nothing is at <code>${esc(path)}</code>. <a href="/">See the apps</a>.</p>` }],
  };
}
