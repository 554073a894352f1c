import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/apply/clock.js';
import type { CompiledApp } from '../../../src/compile.js';
import { LIVE_SCRIPT } from '../../../src/dashboard/live-script.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { startWatchServer, type WatchServer } from '../../../src/watch/http-server.js';
import { createLogger } from '../../../src/watch/logger.js';
import { WatchMetrics } from '../../../src/watch/metrics.js';
import { readWebAuth, type WebAuthFiles } from '../../../src/watch/web/web-auth.js';
import { WebView } from '../../../src/watch/web/web-view.js';
import { tempDir } from '../../helpers/cli.js';
import { compileApp } from '../../helpers/spec.js';

/**
 * The web view's server on a real socket, fed the daemon's events by hand: routes, read-only,
 * credentials, the event stream sending only what changed, and masking. (In a browser, against a
 * daemon applying to the test cluster: web-view-browser.test.ts.)
 */
const SECRET = 'zebra-Secret-77';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function shopApp(): CompiledApp {
  const r = compileApp(
    {
      components: [
        { name: 'creds', type: 'secret', stringData: { PASSWORD: SECRET } },
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1', ports: [{ port: 8080 }] },
      ],
      workflow: {
        steps: [
          { name: 'secrets', components: ['creds'] },
          { name: 'web', components: ['web'] },
        ],
      },
    },
    { name: 'shop', namespace: 'shop' },
  );
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.apps[0]!;
}

let server: WatchServer | undefined;
let view: WebView | undefined;
afterEach(async () => {
  view?.close();
  await server?.close();
  server = view = undefined;
});

/** What the web view asked for: the texts it scrubbed (every fragment rendered for a stream passes there), the Jobs reads. */
const asked = { scrubbed: [] as string[], jobReads: 0 };

async function start(auth: WebAuthFiles = {}): Promise<{ url: string; view: WebView }> {
  const redactor = new Redactor().addAll([SECRET]);
  asked.scrubbed = [];
  asked.jobReads = 0;
  const log = createLogger({ format: 'text', write: () => undefined });
  view = new WebView({
    scrub: (t) => {
      asked.scrubbed.push(t);
      return redactor.scrub(t);
    },
    scrubJson: (v) => redactor.scrubJson(v),
    revisionInfo: async (sha) =>
      sha === SHA ? { subject: `rotate ${SECRET}`, authorName: 'Ann', authorEmail: 'ann@example.com', time: new Date(0) } : undefined,
    history: async () => [],
    jobs: async () => {
      asked.jobReads++;
      return { title: 'Jobs', section: 'jobs', heading: 'Jobs', fragments: [{ id: 'jobs', html: '<div id="jobs">none</div>' }] };
    },
    ...(readWebAuth(auth) ? { auth: readWebAuth(auth)! } : {}),
    clock: systemClock,
    log,
  });
  server = await startWatchServer({ listen: '127.0.0.1:0', metrics: new WatchMetrics(), notReady: () => undefined, onHook: () => undefined, log, web: view });
  return { url: server.url, view };
}

interface Got {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An event stream, collecting what it receives until closed. */
function openStream(url: string): { text: () => string; close: () => void; ready: Promise<void> } {
  let text = '';
  let close = (): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const req = request(url, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      resolve();
    });
    req.on('error', reject);
    close = () => req.destroy();
    req.end();
  });
  return { text: () => text, close: () => close(), ready };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The ids of the fragments an event stream's text carries, in order. */
const fragmentIds = (text: string): string[] => [...text.matchAll(/^data: (.*)$/gm)].map((m) => (JSON.parse(m[1]!) as { id: string }).id);

describe("the daemon's web view server", () => {
  it('serves the apps, an app, its script; GET only; unknown apps are 404; /metrics and /healthz still answer', async () => {
    const { url, view } = await start();
    view.feed({ type: 'revision', revision: SHA, apps: [{ key: 'shop', app: shopApp(), last: undefined }] });
    const list = await get(`${url}/`);
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(list.headers['content-security-policy']).toContain("default-src 'none'");
    expect(list.body).toContain('<a href="/apps/shop">shop</a>');
    expect(list.body).toContain('data-events="/events?page=%2F"');
    expect((await get(`${url}/apps/shop`)).body).toContain('aria-label="Workflow of shop: 2 phases, top to bottom"');
    expect((await get(`${url}/apps/nope`)).status).toBe(404);
    expect((await get(`${url}/history/nope`)).status).toBe(404);
    const script = await get(`${url}/assets/live.js`);
    expect([script.status, script.headers['content-type'], script.body]).toEqual([200, 'text/javascript; charset=utf-8', LIVE_SCRIPT]);
    const post = await get(`${url}/apps/shop`, {}, 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect((await get(`${url}/healthz`)).status).toBe(200);
    expect((await get(`${url}/metrics`)).body).toContain('kubemin_applies_total');
    expect((await get(`${url}/nothing-here`)).status).toBe(404);
  });

  it("an environment's variant is at /apps/<env>/<app> and /history/<env>/<app>, linked so from the list", async () => {
    const r = compileApp(
      {
        components: [{ name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1', ports: [{ port: 8080 }] }],
        environments: [{ name: 'prod', namespace: 'shop-prod' }],
      },
      { name: 'shop', namespace: 'shop' },
    );
    const app = r.apps.find((a) => a.environment === 'prod')!;
    const { url, view } = await start();
    view.feed({ type: 'revision', revision: SHA, apps: [{ key: 'prod/shop', app, last: undefined }] });
    expect((await get(`${url}/`)).body).toContain('<a href="/apps/prod/shop">prod/shop</a>');
    const page = await get(`${url}/apps/prod/shop`);
    expect([page.status, page.body.includes('<h1>prod/shop</h1>'), page.body.includes('href="/history/prod/shop"')]).toEqual([200, true, true]);
    expect((await get(`${url}/history/prod/shop`)).status).toBe(200);
    expect((await get(`${url}/apps/prod%2Fshop`)).status).toBe(200);
    expect((await get(`${url}/apps/shop`)).status).toBe(404);
  });

  it('with credentials files, every page asks for them (basic or bearer); probes and metrics do not', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'basic'), 'ops:s3cret-pass\n');
    writeFileSync(join(dir, 'token'), 'tok-123\n');
    const { url } = await start({ basicAuthFile: join(dir, 'basic'), tokenFile: join(dir, 'token') });
    for (const path of ['/', '/jobs', '/assets/live.js', '/events?page=/']) {
      const r = await get(`${url}${path}`);
      expect([path, r.status, r.headers['www-authenticate']]).toEqual([path, 401, 'Basic realm="kubemin", charset="UTF-8"']);
    }
    const basic = (creds: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(creds).toString('base64')}` });
    expect((await get(`${url}/`, basic('ops:s3cret-pass'))).status).toBe(200);
    expect((await get(`${url}/`, basic('ops:wrong'))).status).toBe(401);
    expect((await get(`${url}/`, { authorization: 'Bearer tok-123' })).status).toBe(200);
    expect((await get(`${url}/`, { authorization: 'Bearer tok-12' })).status).toBe(401);
    expect((await get(`${url}/healthz`)).status).toBe(200);
    expect((await get(`${url}/metrics`)).status).toBe(200);
  });

  it('a credentials file that is empty, or a basic one without user:password, is refused at start', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty'), '\n');
    writeFileSync(join(dir, 'basic'), 'no-colon\n');
    expect(() => readWebAuth({ tokenFile: join(dir, 'empty') })).toThrow(`--web-token-file ${join(dir, 'empty')}: the file is empty`);
    expect(() => readWebAuth({ basicAuthFile: join(dir, 'basic') })).toThrow('write one line user:password');
    expect(readWebAuth({})).toBeUndefined();
  });

  it('the event stream sends the fragments that changed, and only those; no secret value in pages or stream', async () => {
    const { url, view } = await start();
    const app = shopApp();
    view.feed({ type: 'revision', revision: SHA, apps: [{ key: 'shop', app, last: undefined }] });
    const stream = openStream(`${url}/events?page=${encodeURIComponent('/apps/shop')}`);
    await stream.ready;
    // First, everything (what may have changed since the page was loaded).
    await until(() => fragmentIds(stream.text()).length === 3, 'the first fragments');
    expect(fragmentIds(stream.text())).toEqual(['app-summary', 'app-graph', 'app-phases']);
    const phase = app.phases[1]!.name;
    view.feed({ type: 'apply-start', app: 'shop', revision: SHA, commit: { sha: SHA }, trigger: 'commit', at: Date.now() });
    view.feed({ type: 'apply-progress', app: 'shop', event: { type: 'phase-start', app: 'shop', phase, index: 2, objects: 1, attempt: 1 } });
    await until(() => stream.text().includes('applying'), 'the phase applying');
    // The commit's subject (it holds the secret value) is asked of git when the commit is shown: it arrives masked.
    await until(() => stream.text().includes('rotate ***'), 'the commit subject');
    const before = fragmentIds(stream.text()).length;
    view.feed({
      type: 'apply-progress',
      app: 'shop',
      event: { type: 'phase-progress', app: 'shop', phase, ready: 0, total: 1, waitingFor: `Secret shop/creds ${SECRET}` },
    });
    await until(() => stream.text().includes('waiting for ready'), 'waiting for ready');
    // The summary did not change: the graph and the phases did.
    expect(fragmentIds(stream.text()).slice(before)).toEqual(['app-graph', 'app-phases']);
    view.feed({ type: 'drift-checked', app: 'shop', objects: 0 });
    await until(() => fragmentIds(stream.text()).length === before + 3, 'the drift');
    expect(fragmentIds(stream.text()).at(-1)).toBe('app-summary');
    view.feed({ type: 'revision-rejected', revision: '9'.repeat(40), problems: [`kubemin.yaml:4:7: bad value ${SECRET}`] });
    const pages = await Promise.all(['/', '/apps/shop', '/jobs'].map((p) => get(`${url}${p}`)));
    stream.close();
    expect(pages[0]!.body).toContain('kubemin.yaml:4:7: bad value ***');
    for (const text of [stream.text(), ...pages.map((p) => p.body)]) expect(text).not.toContain(SECRET);
    expect(stream.text()).toContain('***');
  });

  it("an app's changes render again only the streams of its page and the apps list; the Jobs page is read once for its streams and loads together", async () => {
    const { url, view } = await start();
    const shop = shopApp();
    const blog = { ...shopApp(), name: 'blog', namespace: 'blog' };
    view.feed({
      type: 'revision',
      revision: SHA,
      apps: [
        { key: 'shop', app: shop, last: undefined },
        { key: 'blog', app: blog, last: undefined },
      ],
    });
    const streams = ['/apps/shop', '/apps/blog'].map((p) => openStream(`${url}/events?page=${encodeURIComponent(p)}`));
    await Promise.all(streams.map((s) => s.ready));
    await until(() => streams.every((s) => fragmentIds(s.text()).length === 3), 'the first fragments');
    // The revision's own batch of renders (every page) is over before the count starts.
    await new Promise((r) => setTimeout(r, 300));
    asked.scrubbed = [];
    view.feed({ type: 'apply-start', app: 'shop', revision: SHA, commit: { sha: SHA }, trigger: 'commit', at: Date.now() });
    await until(() => fragmentIds(streams[0]!.text()).length > 3, "shop's page told");
    const graphsOf = (app: string): number => asked.scrubbed.filter((t) => t.includes(`aria-label="Workflow of ${app}:`) && t.startsWith('<figure')).length;
    expect(graphsOf('shop')).toBe(1);
    expect(graphsOf('blog')).toBe(0);

    const jobs = ['/jobs', '/jobs'].map((p) => openStream(`${url}/events?page=${encodeURIComponent(p)}`));
    await Promise.all(jobs.map((s) => s.ready));
    await until(() => jobs.every((s) => fragmentIds(s.text()).length === 1), 'the Jobs pages');
    expect((await get(`${url}/jobs`)).status).toBe(200);
    for (const s of [...streams, ...jobs]) s.close();
    expect(asked.jobReads).toBe(1);
  });
});
