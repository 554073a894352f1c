import { describe, expect, it } from 'vitest';
import type { CommitInfo } from '../../src/dashboard/dashboard-state.js';
import { historyFragment, historyPage } from '../../src/dashboard/history-page.js';
import { renderPage } from '../../src/dashboard/page.js';
import type { StatusReport } from '../../src/watch/status-report.js';

const SHA1 = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SHA2 = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const SHA3 = '3333333ccccccccccccccccccccccccccccccccc';

const applied: StatusReport = {
  apiVersion: 'kubemin.dev/v1alpha1',
  kind: 'Status',
  app: 'shop',
  namespace: 'shop',
  commit: SHA1,
  trigger: 'commit',
  outcome: 'applied',
  startedAt: '2026-12-04T10:00:00.000Z',
  finishedAt: '2026-12-04T10:00:12.400Z',
  bundleDigest: 'sha256:1',
  phases: [
    { phase: '01-db', outcome: 'ready', durationMs: 2000, attempts: 1, objects: [], reasons: [] },
    { phase: '02-app', outcome: 'ready', durationMs: 10_400, attempts: 1, objects: [], reasons: [] },
  ],
  pruned: [],
  jobs: [
    {
      object: 'Job shop/migrate',
      component: 'migrate',
      startedAt: '2026-12-04T10:00:01Z',
      completedAt: '2026-12-04T10:00:09Z',
      attempts: 2,
      outcome: 'succeeded',
    },
  ],
  lastFailure: null,
};

const failed: StatusReport = {
  ...applied,
  commit: SHA2,
  trigger: 'retry',
  outcome: 'failed',
  startedAt: '2026-12-04T11:00:00.000Z',
  finishedAt: '2026-12-04T11:05:00.000Z',
  phases: [
    { phase: '01-db', outcome: 'ready', durationMs: 1000, attempts: 1, objects: [], reasons: [] },
    {
      phase: '02-app',
      outcome: 'timeout',
      durationMs: 299_000,
      attempts: 1,
      objects: [],
      reasons: ['Deployment shop/web (kubemin.yaml:12): ImagePullBackOff'],
    },
  ],
  jobs: [{ object: 'Job shop/migrate', component: null, startedAt: '2026-12-04T11:00:01Z', completedAt: null, attempts: 1, outcome: 'running' }],
  lastFailure: { commit: SHA2, at: '2026-12-04T11:05:00.000Z', phase: '02-app', message: 'Deployment shop/web: ImagePullBackOff' },
};

/** Applied again at another commit: its lastFailure is the earlier apply's, not its own. */
const recovered: StatusReport = {
  ...applied,
  commit: SHA3,
  startedAt: '2026-12-04T12:00:00.000Z',
  finishedAt: '2026-12-04T12:00:04.000Z',
  lastFailure: failed.lastFailure,
};

const commits = new Map<string, CommitInfo>([
  [SHA1, { subject: 'Add the shop', authorName: 'Ada', time: new Date('2026-12-04T09:59:00Z') }],
  [SHA2, { subject: 'Web 1.1', authorName: 'Grace', time: new Date('2026-12-04T10:59:00Z') }],
]);

/** The fragment is one element: its id's. */
function expectOneElement(html: string, id: string): void {
  expect(html.startsWith(`<div id="${id}">`)).toBe(true);
  expect(html.endsWith('</div>')).toBe(true);
  expect(html.match(/<div\b/g)?.length).toBe(html.match(/<\/div>/g)?.length);
  // The first div closes only at the end.
  let depth = 0;
  for (const m of html.matchAll(/<(\/?)div\b/g)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) expect(m.index).toBe(html.length - '</div>'.length);
  }
}

describe('historyFragment', () => {
  const html = historyFragment('shop', [recovered, failed, applied], commits).html;

  it('sums up the window: applies, success rate, median duration', () => {
    expectOneElement(html, 'history');
    expect(html).toContain('<p class="meta">3 applies · 66.7 % applied (2 of 3) · median duration 12.4 s</p>');
  });

  it('is an accessible table of the applies, newest first as given', () => {
    expect(html).toContain('<caption>Applies of shop, newest first</caption>');
    expect(html.match(/<th scope="col"/g)).toHaveLength(7);
    expect(html.match(/<th scope="row"/g)).toHaveLength(3);
    const rows = [...html.matchAll(/<code title="([0-9a-f]{40})">/g)].map((m) => m[1]);
    expect(rows).toEqual([SHA3, SHA2, SHA1]);
  });

  it('shows the commit (short sha, subject, author), trigger, outcome as word and shape, time, durations per phase and Jobs', () => {
    const row = html.split('<tr>').at(-1)!;
    expect(row).toContain(
      '<code title="1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">1111111</code> Add the shop <span class="meta">(Ada, <time datetime="2026-12-04T09:59:00.000Z">',
    );
    expect(row).toContain('<td>commit</td>');
    expect(row).toContain('<span class="state state-ok">applied</span>');
    expect(row).toContain('<time datetime="2026-12-04T10:00:00.000Z">2026-12-04 10:00:00 UTC</time>');
    expect(row).toContain('<td class="num">12.4 s</td>');
    expect(row).toContain('<li>01-db: 2.0 s, <span class="state state-ok">ready</span></li>');
    expect(row).toContain('<li>02-app: 10.4 s, <span class="state state-ok">ready</span></li>');
    expect(row).toContain(
      '<li><code>Job shop/migrate</code> <span class="meta">(migrate)</span> <span class="state state-ok">succeeded</span><br>started <time datetime="2026-12-04T10:00:01Z">2026-12-04 10:00:01 UTC</time>, completed <time datetime="2026-12-04T10:00:09Z">2026-12-04 10:00:09 UTC</time> (8.0 s), 2 attempts</li>',
    );
  });

  it('a failed apply shows the phase it failed in with its message, and that phase’s reasons', () => {
    const row = html.split('<tr>')[3]!;
    expect(row).toContain('<td>retry</td>');
    expect(row).toContain('<span class="state state-bad">failed</span><br><span class="cause">in phase 02-app: Deployment shop/web: ImagePullBackOff</span>');
    expect(row).toContain(
      '<li>02-app: 4 min 59 s, <span class="state state-bad">timeout</span><ul><li class="cause">Deployment shop/web (kubemin.yaml:12): ImagePullBackOff</li></ul></li>',
    );
    // Its Job still ran when last seen: no completion.
    expect(row).toContain('<span class="state state-busy">running</span><br>started <time datetime="2026-12-04T11:00:01Z">');
    expect(row).toContain('completed <span class="meta">—</span>, 1 attempt</li>');
    // An apply that succeeded after it does not show the old failure; a commit the source did not know shows its sha only.
    const newest = html.split('<tr>')[2]!;
    expect(newest).not.toContain('class="cause"');
    expect(newest).toContain('<th scope="row"><code title="3333333ccccccccccccccccccccccccccccccccc">3333333</code></th>');
  });

  it('says the failure once: a phase reason that is the failure itself is not repeated under the phase', () => {
    const why = 'Job shop/migrate (kubemin.yaml:16): BackoffLimitExceeded';
    const once: StatusReport = {
      ...failed,
      phases: [{ phase: '02-migrate', outcome: 'failed', durationMs: 1000, attempts: 1, objects: [], reasons: [why, 'Pod shop/other: pending'] }],
      lastFailure: { commit: failed.commit, at: failed.finishedAt, phase: '02-migrate', message: why },
    };
    const row = historyFragment('shop', [once], new Map()).html;
    expect(row.split(why)).toHaveLength(2);
    expect(row).toContain('<ul><li class="cause">Pod shop/other: pending</li></ul>');
  });

  it('escapes every text: commit subjects, authors, keys, phases, reasons, Jobs', () => {
    const evil = '<script>alert(1)</script>';
    const hostile: StatusReport = {
      ...failed,
      trigger: evil as never,
      outcome: evil as never,
      startedAt: `"><img src=x onerror=alert(1)>`,
      phases: [{ phase: evil, outcome: evil, durationMs: 1, attempts: 1, objects: [], reasons: [evil] }],
      jobs: [{ object: evil, component: evil, startedAt: evil, completedAt: evil, attempts: 1, outcome: evil as never }],
      lastFailure: { commit: SHA2, at: failed.finishedAt, phase: evil, message: evil },
    };
    const out = historyFragment(`shop${evil}`, [hostile], new Map([[SHA2, { subject: evil, authorName: `"${evil}`, time: new Date(0) }]])).html;
    expect(out).not.toMatch(/<script|<img|onerror=alert[^&]*>/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    // An unknown outcome is a word with the idle shape, never a colour of its own.
    expect(out).toContain('<span class="state state-idle">&lt;script&gt;alert(1)&lt;/script&gt;</span>');
    expectOneElement(out, 'history');
  });

  it('an app without applies says so', () => {
    const empty = historyFragment('production/shop', [], new Map());
    expect(empty).toEqual({ id: 'history', html: '<div id="history"><p class="meta">No apply of production/shop is recorded yet.</p></div>' });
  });
});

describe('historyPage', () => {
  it('is a page of the Apps section under Apps › <key>, rendered with its fragment', () => {
    const page = historyPage({ key: 'production/shop' }, [applied], commits);
    expect(page).toMatchObject({
      title: 'History of production/shop',
      section: 'apps',
      heading: 'History of production/shop',
      breadcrumbs: [
        { href: '/', text: 'Apps' },
        { href: '/apps/production/shop', text: 'production/shop' },
      ],
    });
    expect(page.fragments.map((f) => f.id)).toEqual(['history']);
    const doc = renderPage(page);
    expect(doc).toContain('<h1>History of production/shop</h1>');
    expect(doc).toContain(page.fragments[0]!.html);
  });
});
