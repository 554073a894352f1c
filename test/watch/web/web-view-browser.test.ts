import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { get as httpGet, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runDaemon } from '../daemon-fixture.js';
import type { WatchEvent } from '../../../src/watch/daemon.js';
import { testCluster } from '../../cluster/cluster.js';
import { tempDir } from '../../helpers/cli.js';
import { REPO, UPDATE_GOLDEN } from '../../helpers/tree.js';
import { RemoteFixture } from '../git/remote-fixture.js';
import { blogSpec, FAILING_MIGRATE_IMAGE, SECRET_VALUE, shopSpec, SHOP_PHASES } from './web-view-fixture.js';

/**
 * The daemon's web view in a real browser: Debian's headless Chromium (.ci/run installs it),
 * driven by playwright-core, against `kubemin watch --listen` running in this process, following
 * a real git repository (a bare remote in a temp dir) and applying to the real test cluster. One
 * daemon for the whole file, with HTTP basic credentials (the browser is given them):
 *   1. the first commit: shop (config and Secret, a migration Job, a web service) and blog, applied;
 *   2. a second commit gives the migration an image whose pod exits 1 (KWOK, scripts/test-cluster/kwok.yaml),
 *      and its message quotes the Secret's value; a webhook makes the daemon fetch it at once.
 * Four event streams are read with plain HTTP from the start, to look for the Secret in their bytes.
 */

const CHROMIUM = '/usr/bin/chromium';
const cluster = testCluster();
const USER = 'viewer';
const PASSWORD = 'pa55-of-the-viewer';
const AUTH = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
/** Event streams read from the start, by page. */
const STREAMED = ['/', '/apps/shop', '/history/shop', '/jobs'];
/** The migration's commit message quotes the Secret's value (someone careless): the pages show the subject masked. */
const FAILING_SUBJECT = `migrate with the new image; token rotated (it was ${SECRET_VALUE})`;
const MASKED_SUBJECT = 'migrate with the new image; token rotated (it was ***)';

interface Recorded {
  status: number | undefined;
  text: string;
  readonly req: ClientRequest;
}

interface Scene {
  readonly url: string;
  readonly ns: string;
  readonly fx: RemoteFixture;
  /** The first commit: both apps applied. */
  readonly first: string;
  readonly events: WatchEvent[];
  readonly logs: () => string;
  readonly streams: ReadonlyMap<string, Recorded>;
}

let browser: Browser;
let stopDaemon: (() => Promise<void>) | undefined;
let ns: string | undefined;
let scene: Promise<Scene> | undefined;
let failed: Promise<string> | undefined;
const recorders: Recorded[] = [];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 60_000);

afterAll(async () => {
  for (const r of recorders) r.req.destroy();
  await browser?.close();
  await stopDaemon?.();
  if (ns) await cluster.kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
}, 60_000);

/** Polls until `check` gives a value (within the test's timeout), failing with the daemon's log. */
async function until<T>(what: string, logs: () => string, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 900; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; daemon log:\n${logs()}`);
}

/** Reads a page's event stream with plain HTTP, every byte, until the end of the file. */
function record(url: string, page: string): Recorded {
  const req = httpGet(`${url}/events?page=${encodeURIComponent(page)}`, { headers: AUTH }, (res) => {
    rec.status = res.statusCode;
    res.setEncoding('utf8');
    res.on('data', (d: string) => void (rec.text += d));
  });
  const rec: Recorded = { status: undefined, text: '', req };
  req.on('error', () => undefined);
  recorders.push(rec);
  return rec;
}

/** The daemon, started once for the file (inside the first test that needs it: the cluster is used in tests only). */
function theScene(): Promise<Scene> {
  return (scene ??= (async () => {
    const name = `web-view-${randomBytes(4).toString('hex')}`;
    ns = name;
    await cluster.kubectl(['create', 'namespace', name]);
    await cluster.kubectl(['wait', '--for=create', '-n', name, 'serviceaccount/default', '--timeout=60s']);
    const fx = new RemoteFixture();
    const first = fx.commit('shop and blog', { 'apps/shop/kubemin.yaml': shopSpec(name), 'apps/blog/kubemin.yaml': blogSpec(name) });
    const credentials = join(tempDir(), 'web-credentials');
    writeFileSync(credentials, `${USER}:${PASSWORD}\n`);
    // A phase that hangs fails the test in a minute, not in the spec's 5.
    const d = runDaemon(fx, cluster.kubeconfig, { timeoutMs: 60_000, listen: '127.0.0.1:0', webBasicAuthFile: credentials });
    stopDaemon = d.stop;
    const { events, logs } = d;
    const base = await d.url;
    const streams = new Map(STREAMED.map((p) => [p, record(base, p)]));
    const written = (app: string) => events.some((e) => e.type === 'status-written' && e.app === app);
    await until('both apps applied and their status reports pushed', logs, () => written('shop') && written('blog'));
    // A drift round, so that the list says there is no drift rather than "not checked yet". The
    // webhook starts a round; one that finds a new revision (the daemon's own status commits)
    // compares nothing, the next on the same revision does.
    const rounds = (): Array<Extract<WatchEvent, { type: 'round' }>> => events.filter((e): e is Extract<WatchEvent, { type: 'round' }> => e.type === 'round');
    const checked = (app: string): boolean => events.some((e) => e.type === 'drift-checked' && e.app === app);
    let seen = rounds().at(-1)!.revision;
    for (let i = 0; i < 5; i++) {
      const n = rounds().length;
      await hook(base);
      const round = await until('the round the webhook started', logs, () => rounds()[n]);
      if (round.revision === seen) break;
      seen = round.revision;
    }
    await until('a drift round of both apps', logs, () => checked('shop') && checked('blog'));
    return { url: base, ns: name, fx, first, events, logs, streams };
  })());
}

async function hook(url: string): Promise<void> {
  const r = await fetch(`${url}/hooks/git`, { method: 'POST', body: '{}' });
  expect(r.status).toBe(202);
}

/** Pushes the commit whose migration fails, hits the webhook, and waits for the failed apply's status report (once for the file); its sha. */
function failingApply(s: Scene): Promise<string> {
  return (failed ??= (async () => {
    const sha = s.fx.commitOnRemoteTip(FAILING_SUBJECT, { 'apps/shop/kubemin.yaml': shopSpec(s.ns, FAILING_MIGRATE_IMAGE) });
    await hook(s.url);
    const end = await until('the apply of the failing commit', s.logs, () =>
      s.events.find((e): e is Extract<WatchEvent, { type: 'apply-end' }> => e.type === 'apply-end' && e.app === 'shop' && e.report.commit === sha),
    );
    expect(end.result.outcome).toBe('failed');
    const at = s.events.indexOf(end);
    await until('its status report pushed', s.logs, () => s.events.slice(at).some((e) => e.type === 'status-written' && e.app === 'shop'));
    return sha;
  })());
}

/** A page in a fresh browser context given the daemon's credentials (closed when the test ends). */
async function open(s: Scene, path: string): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1200, height: 900 }, httpCredentials: { username: USER, password: PASSWORD } });
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const res = await page.goto(`${s.url}${path}`);
  expect(res?.status()).toBe(200);
  return page;
}

/** Waits until the page follows its event stream. */
async function live(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#connection').textContent(), { timeout: 30_000 }).toBe('Live updates: on');
}

/** The little of a page's globals the tests touch (the project's types have no DOM): `globalThis` in the page is its window. */
interface PageNode {
  readonly id: string;
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
}
interface PageWindow {
  readonly document: {
    readonly activeElement: PageNode | null;
    readonly documentElement: { readonly scrollHeight: number };
    querySelector(selector: string): PageNode | null;
    addEventListener(type: string, listener: (e: { readonly detail?: unknown }) => void): void;
  };
  EventSource: new (url: string, init?: unknown) => { addEventListener(type: string, listener: () => void): void };
  marker?: string;
  seen?: string[];
  fragments?: number;
}

/** An app's row in the apps list. */
const appRow = (page: Page, app: string) => page.locator(`#apps tbody tr:has(th a[href="/apps/${app}"])`);

/** The aria-labels of the graph's phase boxes, in document order. */
const phaseLabels = (page: Page): Promise<string[]> => page.$$eval('svg a.phase', (nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));

/** The last line of each phase box (where the phase stands), by phase name. */
const boxStates = (page: Page): Promise<Record<string, string>> =>
  page.$$eval('svg a.phase', (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.getAttribute('data-phase') ?? '', n.querySelector('text:last-of-type')?.textContent ?? ''])),
  );

/** The spec line of shop's migrate component. */
const migrateLine = (ns: string): number =>
  shopSpec(ns)
    .split('\n')
    .findIndex((l) => l.includes('- name: migrate')) + 1;

/** Plain GET with the daemon's credentials. */
async function fetchPage(s: Scene, path: string): Promise<string> {
  const r = await fetch(`${s.url}${path}`, { headers: AUTH });
  expect(r.status, path).toBe(200);
  return r.text();
}

/** The forms a leaked value could take. */
const SECRET_FORMS = [SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64')];

describe('the daemon’s web view in Chromium', { timeout: 120_000 }, () => {
  it('the apps list shows both apps applied, with the commit; typing in the filter box hides the rows that do not match', async () => {
    const s = await theScene();
    const page = await open(s, '/');
    const rows = page.locator('#apps tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['blog', 'shop']);
    expect(await rows.locator('td .state').allTextContents()).toEqual(['applied', 'applied']);
    expect(await rows.locator('td code[title]').allTextContents()).toEqual([s.first.slice(0, 7), s.first.slice(0, 7)]);
    expect(await rows.locator('td:last-child').allTextContents()).toEqual(['none', 'none']);
    expect(await page.locator('#apps a[href="/apps/shop"]').count()).toBe(1);

    const shown = (): Promise<string[]> =>
      page.$$eval('#apps tbody tr', (trs) => trs.filter((tr) => !tr.hidden).map((tr) => tr.querySelector('th')?.textContent ?? ''));
    await page.locator('#filter').pressSequentially('sho');
    await expect.poll(shown).toEqual(['shop']);
    expect(await page.locator('#apps .filter-count').textContent()).toBe(', 1 shown');
    expect(await appRow(page, 'blog').isVisible()).toBe(false);
    await page.locator('#filter').fill('applied');
    await expect.poll(shown).toEqual(['blog', 'shop']);
    await page.locator('#filter').fill('nothing-matches');
    await expect.poll(shown).toEqual([]);
    expect(await page.locator('#apps .filter-count').textContent()).toBe(', 0 shown');
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('what one typed in the filter box stays when the event stream sends the list again', async () => {
    const s = await theScene();
    // The stream is let through only once something is typed: its first events (the whole page
    // again) then arrive after the typing, as they do on a slow link.
    let typed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (typed = resolve));
    const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
    onTestFinished(() => context.close());
    await context.route(/\/events\?/, async (route) => {
      await ready;
      await route.continue();
    });
    // Counts the stream's fragments as they arrive (before the page's own script sees them).
    await context.addInitScript(() => {
      const w = globalThis as unknown as PageWindow;
      const Original = w.EventSource;
      w.fragments = 0;
      w.EventSource = class extends Original {
        constructor(url: string, init?: unknown) {
          super(url, init);
          this.addEventListener('fragment', () => void (w.fragments = (w.fragments ?? 0) + 1));
        }
      };
    });
    const page = await context.newPage();
    await page.goto(`${s.url}/`);
    await page.locator('#filter').pressSequentially('blo');
    typed();
    await live(page);
    // The stream's first events: every fragment of the page (revision, filter form, apps), as the daemon rendered them.
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageWindow).fragments ?? 0)).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.id)).toBe('filter');
    expect(await page.locator('#filter').inputValue()).toBe('blo');
    expect(await page.$$eval('#apps tbody tr', (trs) => trs.filter((tr) => !tr.hidden).map((tr) => tr.querySelector('th')?.textContent))).toEqual(['blog']);
    await page.keyboard.type('g');
    expect(await page.locator('#filter').inputValue()).toBe('blog');
  });

  it("the app page draws the phases in workflow order, top to bottom, each box saying its state; Tab and Enter (or a click) reach a phase's objects", async () => {
    const s = await theScene();
    const page = await open(s, '/apps/shop');
    const labels = await phaseLabels(page);
    expect(labels.map((l) => /^Phase (\d+) of 3: ([^.]+)\./.exec(l)?.slice(1).join(' '))).toEqual(SHOP_PHASES.map((name, i) => `${i + 1} ${name}`));
    // Each box says it is ready, with its objects ready of all, and is coloured (and shaped by its words) so.
    expect(labels.map((l) => /\. (ready \(\d+\/\d+\)), [\d.]+ m?s$/.exec(l)?.[1])).toEqual(['ready (2/2)', 'ready (1/1)', 'ready (2/2)']);
    expect(Object.values(await boxStates(page)).map((t) => t.replace(/, [\d.]+ m?s$/, ''))).toEqual(['ready (2/2)', 'ready (1/1)', 'ready (2/2)']);
    expect(await page.$$eval('svg a.phase', (nodes) => nodes.map((n) => n.classList.contains('state-ok')))).toEqual([true, true, true]);
    const tops = await page.$$eval('svg a.phase', (nodes) => nodes.map((n) => n.getBoundingClientRect().top));
    expect(new Set(tops).size).toBe(3);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    // The same in words below the graph.
    expect(await page.$$eval('#app-phases ol.phases > li > h3', (hs) => hs.map((h) => h.textContent))).toEqual(
      SHOP_PHASES.map((n, i) => `${i + 1}. ${n} ready`),
    );

    // Tab from the top of the page: the links above the graph, then its boxes in order.
    const focused: string[] = [];
    for (let i = 0; i < 20 && focused.length < 3; i++) {
      await page.keyboard.press('Tab');
      const phase = await page.evaluate(() => {
        const active = (globalThis as unknown as PageWindow).document.activeElement;
        return active?.classList.contains('phase') ? active.getAttribute('aria-label') : null;
      });
      if (phase) focused.push(phase);
    }
    expect(focused).toEqual(labels);
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#app-shop--3');
    expect(await page.locator('li:target h3').textContent()).toBe('3. web ready');
    expect(await page.locator('li:target tbody tr td:nth-child(2)').allTextContents()).toEqual(['web', 'web']);
    expect(await page.locator('li:target').isVisible()).toBe(true);

    await page.locator('svg a.phase[data-phase="migrate"]').click();
    expect(new URL(page.url()).hash).toBe('#app-shop--2');
    expect(await page.locator('li:target h3').textContent()).toBe('2. migrate ready');
    const job = page.locator('li:target tbody tr');
    expect(await job.locator('td').first().textContent()).toBe('Job');
    expect(await job.locator('td:nth-child(2)').textContent()).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(await job.locator('td:nth-child(4) .state').textContent()).toBe('ready');
    expect(await job.locator('td:last-child').textContent()).toBe(`apps/shop/kubemin.yaml:${migrateLine(s.ns)}`);
  });

  it('the app page follows an apply live, without a reload: the migration phase goes to failed', async () => {
    const s = await theScene();
    const page = await open(s, '/apps/shop');
    await live(page);
    expect((await boxStates(page)).migrate).toMatch(/^ready \(1\/1\)/);
    let navigations = 0;
    page.on('framenavigated', (frame) => void (frame === page.mainFrame() && navigations++));
    // A marker a reload would lose, and the migration box's state each time the graph is replaced.
    await page.evaluate(() => {
      const w = globalThis as unknown as PageWindow;
      const seen: string[] = (w.seen = []);
      w.marker = 'still here';
      w.document.addEventListener('kubemin:updated', (e) => {
        if (e.detail !== 'app-graph') return;
        seen.push(w.document.querySelector('svg a.phase[data-phase="migrate"] text:last-of-type')?.textContent ?? '');
      });
    });

    const sha = await failingApply(s);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageWindow).document
          .querySelector('svg a.phase[data-phase="migrate"]')
          ?.getAttribute('aria-label')
          ?.includes('. failed (0/1)') === true,
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).marker)).toBe('still here');
    expect(navigations).toBe(0);
    const states = await boxStates(page);
    expect(states.config).toMatch(/^ready \(2\/2\)/);
    expect(states.migrate).toMatch(/^failed \(0\/1\)/);
    expect(states.web).toBe('skipped');
    const seen = await page.evaluate(() => (globalThis as unknown as PageWindow).seen ?? []);
    expect(seen.at(-1)).toMatch(/^failed/);
    // Whatever it showed on the way went through the phase's states in order.
    const order = ['ready', 'waiting', 'applying', 'waiting for ready', 'failed'];
    const steps = seen.map((t) => order.findIndex((w) => t === w || t.startsWith(`${w} (`) || t.startsWith(`${w},`)));
    expect(steps.every((x) => x >= 0)).toBe(true);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // The summary above the graph too: the new commit, failed.
    expect(await page.locator('#app-summary code[title]').first().getAttribute('title')).toBe(sha);
    expect(await page.locator('#app-summary .state').first().textContent()).toBe('failed');
  });

  it('a failing phase shows its cause, the object and its source line; so does the apps list', async () => {
    const s = await theScene();
    await failingApply(s);
    const page = await open(s, '/apps/shop');
    const line = migrateLine(s.ns);
    const cause = new RegExp(
      `Job ${s.ns}/migrate-[0-9a-f]{8} \\(apps/shop/kubemin\\.yaml:${line}, component migrate\\): BackoffLimitExceeded: Job has reached the specified backoff limit`,
    );
    expect(await page.locator('#app-summary li.cause').textContent()).toMatch(new RegExp(`^Failed in phase 02-migrate: ${cause.source}`));

    await page.locator('svg a.phase[data-phase="migrate"]').click();
    const phase = page.locator('li:target');
    expect(await phase.locator('h3').textContent()).toBe('2. migrate failed');
    expect(await phase.locator('ul.cause').getAttribute('aria-label')).toBe('Why phase migrate is not ready');
    expect(await phase.locator('ul.cause li').allTextContents()).toEqual([expect.stringMatching(cause)]);
    const job = phase.locator('tbody tr');
    expect(await job.locator('td:nth-child(4) .state').textContent()).toBe('failed');
    expect(await job.locator('td.cause').textContent()).toMatch(/^BackoffLimitExceeded: Job has reached the specified backoff limit/);
    expect(await job.locator('td:last-child').textContent()).toBe(`apps/shop/kubemin.yaml:${line}`);
    // The phases after it were not applied.
    expect(await page.locator('#app-shop--3 h3').textContent()).toBe('3. web skipped');

    const apps = await open(s, '/');
    const shop = appRow(apps, 'shop');
    expect(await shop.locator('td .state').textContent()).toBe('failed');
    expect(await shop.locator('.cause').textContent()).toMatch(new RegExp(`^02-migrate: ${cause.source}`));
    expect(await appRow(apps, 'blog').locator('td .state').textContent()).toBe('applied');
  });

  it('the history page lists the applies from the status reports in git, newest first; the Jobs page the migration Jobs, finished and failed', async () => {
    const s = await theScene();
    const sha = await failingApply(s);
    const history = await open(s, '/history/shop');
    const rows = history.locator('#history tbody tr');
    expect(await rows.locator('th code[title]').evaluateAll((cs) => cs.map((c) => c.getAttribute('title')))).toEqual([sha, s.first]);
    expect(await rows.locator('td:nth-child(3) > .state').allTextContents()).toEqual(['failed', 'applied']);
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(['commit', 'commit']);
    expect(await rows.nth(0).locator('th').textContent()).toContain(MASKED_SUBJECT);
    expect(await rows.nth(1).locator('th').textContent()).toContain('shop and blog');
    // Each phase's outcome, and the Job it waited for.
    expect(await rows.nth(1).locator('td ol li').allTextContents()).toEqual([
      expect.stringMatching(/^01-config: [\d.]+ m?s, ready$/),
      expect.stringMatching(/^02-migrate: [\d.]+ m?s, ready$/),
      expect.stringMatching(/^03-web: [\d.]+ m?s, ready$/),
    ]);
    expect(await rows.nth(1).locator('td:last-child li').textContent()).toMatch(new RegExp(`^Job ${s.ns}/migrate-[0-9a-f]{8} \\(migrate\\) succeeded`));
    expect(await rows.nth(0).locator('td:last-child li').textContent()).toMatch(new RegExp(`^Job ${s.ns}/migrate-[0-9a-f]{8} \\(migrate\\) failed`));
    expect(await history.locator('#history > p.meta').textContent()).toMatch(/^2 applies · 50 % applied \(1 of 2\) · median duration /);

    const jobs = await open(s, '/jobs');
    const names = (table: string): Promise<string[]> => jobs.locator(`${table} tbody th code`).allTextContents();
    const finished = await names('#jobs-succeeded');
    const failedJobs = await names('#jobs-failed');
    expect(finished).toEqual([expect.stringMatching(new RegExp(`^${s.ns}/migrate-[0-9a-f]{8}$`))]);
    expect(failedJobs).toEqual([expect.stringMatching(new RegExp(`^${s.ns}/migrate-[0-9a-f]{8}$`))]);
    expect(finished[0]).not.toBe(failedJobs[0]);
    expect(await jobs.locator('#jobs-succeeded tbody td').first().textContent()).toBe('shop');
    expect(await jobs.locator('#jobs-failed tbody .cause').textContent()).toMatch(/^BackoffLimitExceeded: /);
    expect(await jobs.locator('#jobs > p.meta').textContent()).toBe('0 running, 0 queued, 1 failed, 1 finished.');
  });

  it('no Secret value is in the HTML of any page, nor in the bytes of the event streams during the applies', async () => {
    const s = await theScene();
    await failingApply(s);
    const paths = ['/', '/apps/shop', '/apps/blog', '/history/shop', '/history/blog', '/jobs'];
    for (const path of paths) {
      const html = await fetchPage(s, path);
      for (const form of SECRET_FORMS) expect(html, path).not.toContain(form);
    }
    // The value was there to mask: the commit message quotes it.
    expect(await fetchPage(s, '/')).toContain(MASKED_SUBJECT);
    expect(await fetchPage(s, '/history/shop')).toContain(MASKED_SUBJECT);
    // What the browser has after its script ran.
    const page = await open(s, '/');
    await live(page);
    expect(await page.content()).toContain(MASKED_SUBJECT);
    for (const form of SECRET_FORMS) expect(await page.content()).not.toContain(form);

    // The streams, read since before the first apply: they carried both applies (the failure
    // included) and the masked subject, and no form of the value.
    for (const [path, rec] of s.streams) {
      expect(rec.status, path).toBe(200);
      expect(rec.text, path).toMatch(/^retry: 3000\n\nevent: fragment\ndata: \{/);
      for (const form of SECRET_FORMS) expect(rec.text, path).not.toContain(form);
    }
    const app = s.streams.get('/apps/shop')!.text;
    expect(app).toContain('in progress');
    expect(app).toContain('failed (0/1)');
    expect(s.streams.get('/')!.text).toContain(MASKED_SUBJECT);
    expect(s.streams.get('/history/shop')!.text).toContain(MASKED_SUBJECT);
  });

  it('asks for credentials (401, WWW-Authenticate: Basic), and works with them', async () => {
    const s = await theScene();
    for (const path of ['/', '/apps/shop', '/history/shop', '/jobs', '/events?page=%2F', '/assets/live.js']) {
      const bare = await fetch(`${s.url}${path}`);
      expect(bare.status, path).toBe(401);
      expect(bare.headers.get('www-authenticate'), path).toBe('Basic realm="kubemin", charset="UTF-8"');
      expect(await bare.text()).not.toContain('shop');
      const wrong = await fetch(`${s.url}${path}`, { headers: { Authorization: `Basic ${Buffer.from(`${USER}:wrong`).toString('base64')}` } });
      expect(wrong.status, path).toBe(401);
    }
    // The daemon's own endpoints stay as they were.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

    // A browser without them is refused, and shown nothing of the apps.
    for (const httpCredentials of [undefined, { username: USER, password: 'wrong' }]) {
      const context = await browser.newContext(httpCredentials ? { httpCredentials } : {});
      onTestFinished(() => context.close());
      const refused = await context.newPage();
      const statuses: number[] = [];
      refused.on('response', (r) => void statuses.push(r.status()));
      // Chromium is asked; with nothing to answer it gives up (the navigation fails), with the
      // wrong credentials it shows the 401.
      const res = await refused.goto(`${s.url}/`).catch((err: Error) => err);
      if (res instanceof Error) expect(res.message).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
      else {
        expect(res?.status()).toBe(401);
        expect((await refused.locator('body').innerText()).trim()).toBe('credentials needed');
      }
      expect(statuses).toContain(401);
      expect(statuses).not.toContain(200);
    }
    const page = await open(s, '/apps/shop');
    expect(await page.locator('h1').textContent()).toBe('shop');
    // The script and the event stream are let in as well.
    await live(page);
  });

  it('renders each page for the README (docs/web-*.png with UPDATE_GOLDEN=1)', async () => {
    const s = await theScene();
    await failingApply(s);
    const dir = tempDir('kubemin-web-shots-');
    const shots: Array<{ path: string; file: string; heading: string }> = [
      { path: '/', file: 'web-apps.png', heading: 'Apps' },
      { path: '/apps/shop', file: 'web-app.png', heading: 'shop' },
      { path: '/history/shop', file: 'web-history.png', heading: 'History of shop' },
      { path: '/jobs', file: 'web-jobs.png', heading: 'Jobs' },
    ];
    for (const shot of shots) {
      const page = await open(s, shot.path);
      await live(page);
      expect(await page.locator('h1').textContent()).toBe(shot.heading);
      expect((await page.locator('main').innerText()).length).toBeGreaterThan(100);
      const height = Math.min(900, await page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.scrollHeight));
      const png = join(dir, shot.file);
      await page.screenshot({ path: png, clip: { x: 0, y: 0, width: 1200, height } });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      if (UPDATE_GOLDEN) copyFileSync(png, join(REPO, 'docs', shot.file));
    }
  });
});
