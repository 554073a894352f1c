import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import type { AppDiff } from '../../src/diff/types.js';
import { composeReport, REPORT_MARKER, type ReportInput } from '../../src/report/compose.js';
import { diffRendered } from '../../src/report/rendered-diff.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compiled, shop, shopSpec } from './fixtures.js';
import { expectBalanced } from './markdown-checks.js';

const SHAS = { headSha: '1111111111111111111111111111111111111111', baseSha: '2222222222222222222222222222222222222222' };

function input(base: CompiledApp[], head: CompiledApp[], extra: Partial<ReportInput> = {}): ReportInput {
  return { rendered: diffRendered(base, head), headApps: head, ...SHAS, ...extra };
}

/** An app of `count` config components, each a ConfigMap whose value has `lines` lines. */
function configs(count: number, lines: number, version = 1): CompiledApp[] {
  const value = (i: number) => Array.from({ length: lines }, (_, l) => `line ${l} of config ${i}, version ${version}`).join('\n') + '\n';
  const components = Array.from({ length: count }, (_, i) => ({ name: `conf-${String(i).padStart(3, '0')}`, type: 'config', data: { 'file.txt': value(i) } }));
  return compiled({ components }, { name: 'big', namespace: 'big' });
}

describe('composeReport', () => {
  it('one comment: marker, title, summary table, the app with its diagram and diffs, the live reason, the commits', () => {
    const head = shop({ image: 'ghcr.io/acme/shop:1.5.0' });
    const { comments, summary } = composeReport(input(shop(), head, { live: { skipped: 'pull request from a fork: no cluster credentials' } }));
    expect(comments).toHaveLength(1);
    const [c] = comments;
    expect(c).toBe(summary);
    expect(c!.split('\n')[0]).toBe(REPORT_MARKER);
    expect(c).not.toContain('(part ');
    expect(c).toContain('| shop | changed | 1/3 | 0 | 1 | 0 |');
    // The only changed app is shown open.
    expect(c).toContain('<details open><summary><b>shop</b> (changed): 1 to update; 1 of 3 phases changed</summary>');
    expect(c).toContain('```mermaid\nflowchart LR\n');
    expect(c).toContain('  class p3 changed\n');
    expect(c).toMatch(/<details><summary><code>Deployment shop\/web<\/code> update \(kubemin\.yaml:\d+\) in <code>03-app<\/code><\/summary>\n\n```diff\n@@/);
    expect(c).toContain('-          image: ghcr.io/acme/shop:1.4.0\n+          image: ghcr.io/acme/shop:1.5.0\n');
    expect(c).toContain('_Not compared with the cluster: pull request from a fork: no cluster credentials_');
    expect(c).toContain(`head ${SHAS.headSha}, base ${SHAS.baseSha}`);
    expectBalanced(c!);
    expect(composeReport(input(shop(), head))).toEqual(composeReport(input(shop(), head)));
  });

  it('several changed apps are collapsed; the only changed one is open', () => {
    const blog = (image: string) => compiled(shopSpec({ image }), { name: 'blog', namespace: 'blog' });
    const two = composeReport(input([...blog('a:1'), ...shop()], [...blog('a:2'), ...shop({ image: 'ghcr.io/acme/shop:1.5.0' })])).comments[0]!;
    expect(two).toContain('<details><summary><b>blog</b> (changed)');
    expect(two).toContain('<details><summary><b>shop</b> (changed)');
    expect(two).not.toContain('<details open>');
    const one = composeReport(input([...blog('a:1'), ...shop()], [...blog('a:1'), ...shop({ image: 'ghcr.io/acme/shop:1.5.0' })])).comments[0]!;
    expect(one).toContain('<details open><summary><b>shop</b> (changed)');
    expect(one).not.toContain('<b>blog</b> (changed)');
    expectBalanced(one);
  });

  it('links each source to its line at the commit it was read from: the head, the base for a delete', () => {
    const sourceUrl = (at: { side: 'head' | 'base'; file: string; line: number }) => `https://github.test/${at.side}/${at.file}#L${at.line}`;
    const [c] = composeReport(input(shop(), shop({ image: 'ghcr.io/acme/shop:1.5.0', worker: false })), { sourceUrl }).comments;
    const update = /<code>Deployment shop\/web<\/code> update \(<a href="https:\/\/github\.test\/head\/kubemin\.yaml#L(\d+)">kubemin\.yaml:(\d+)<\/a>\)/.exec(
      c!,
    );
    expect(update, c).not.toBeNull();
    expect(update![1]).toBe(update![2]);
    expect(c).toMatch(/<code>Deployment shop\/worker<\/code> delete \(<a href="https:\/\/github\.test\/base\/kubemin\.yaml#L\d+">kubemin\.yaml:\d+<\/a>\)/);
    // No link where the address is unknown.
    const [plain] = composeReport(input(shop(), shop({ image: 'ghcr.io/acme/shop:1.5.0' })), { sourceUrl: () => undefined }).comments;
    expect(plain).not.toContain('<a href=');
    expectBalanced(c!);
  });

  it('a head that does not compile: its problems at file:line (linked), nothing rendered', () => {
    const invalid: Diagnostic[] = [
      {
        severity: 'error',
        code: 'unknown-field',
        message: 'unknown field "portz" <here>',
        hint: 'did you mean "ports"?',
        file: 'apps/shop/kubemin.yaml',
        line: 12,
        col: 9,
      },
      { severity: 'warning', code: 'no-probe', message: 'no readiness probe', file: 'apps/shop/kubemin.yaml', line: 7, col: 5 },
      { severity: 'error', code: 'no-spec', message: 'no spec found' },
    ];
    const sourceUrl = (at: { side: 'head' | 'base'; file: string; line: number }) => `https://github.test/${at.side}/${at.file}#L${at.line}`;
    const { comments, summary } = composeReport({ rendered: [], headApps: [], ...SHAS, invalid }, { sourceUrl });
    expect(comments).toEqual([summary]);
    const c = comments[0]!;
    expect(c.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(c).toContain('**2 problems in the specs of this head**: nothing was rendered');
    expect(c).toContain(
      '- **error** <a href="https://github.test/head/apps/shop/kubemin.yaml#L12">apps/shop/kubemin.yaml:12:9</a> <code>unknown-field</code>: unknown field "portz" &lt;here&gt; (did you mean "ports"?)\n',
    );
    expect(c).toContain('- **warning** <a href="https://github.test/head/apps/shop/kubemin.yaml#L7">apps/shop/kubemin.yaml:7:5</a> <code>no-probe</code>');
    expect(c).toContain('- **error** <code>no-spec</code>: no spec found\n');
    expect(c).not.toContain('No changes to rendered manifests');
    expect(c).not.toContain('<details');
    expect(c).toContain(`head ${SHAS.headSha}`);
  });

  it('no changes: a short body, with the live section only when the cluster differs', () => {
    const quiet = composeReport(input(shop(), shop(), { live: { apps: [] } })).comments;
    expect(composeReport(input(shop(), shop(), { live: { skipped: 'no kubeconfig' } })).comments).toEqual(quiet);
    expect(quiet).toHaveLength(1);
    expect(quiet[0]).not.toContain('In the cluster');
    expect(quiet[0]!.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(quiet[0]).toContain('**No changes to rendered manifests.**');
    expect(quiet[0]).not.toContain('<details>');
    expect(quiet[0]).not.toContain('| app |');
    expect(quiet[0]!.length).toBeLessThan(400);

    const drift: AppDiff = {
      app: 'shop',
      namespace: 'shop',
      objects: [
        {
          action: 'update',
          ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
          component: 'web',
          source: 'kubemin.yaml:9',
          phase: '03-app',
          diff: '@@ -1,1 +1,1 @@\n-  replicas: 5\n+  replicas: 2\n',
          note: 'changed by <someone> by hand',
        },
      ],
      problems: [
        {
          ref: { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'auth' },
          component: 'auth',
          source: 'kubemin.yaml:13',
          reason: 'Forbidden',
          message: 'secrets "auth" is <forbidden>',
        },
      ],
    };
    const [c] = composeReport(input(shop(), shop(), { live: { apps: [drift] } })).comments;
    expect(c).toContain('**No changes to rendered manifests.**');
    expect(c).toContain('#### In the cluster');
    expect(c).toContain('| shop | shop | 0 | 1 | 0 | 0 | 1 |');
    expect(c).toContain('shop: <code>Deployment shop/web</code> update (kubemin.yaml:9)');
    expect(c).toContain('_changed by &lt;someone&gt; by hand_');
    expect(c).toContain('> **error** shop: <code>Secret shop/auth</code> (kubemin.yaml:13): Forbidden: secrets "auth" is &lt;forbidden&gt;');
    expectBalanced(c!);
    // With addresses, the live diff's sources link to their lines at the head commit too.
    const sourceUrl = (at: { side: 'head' | 'base'; file: string; line: number }) => `https://github.test/${at.side}/${at.file}#L${at.line}`;
    const [linked] = composeReport(input(shop(), shop(), { live: { apps: [drift] } }), { sourceUrl }).comments;
    expect(linked).toContain('shop: <code>Deployment shop/web</code> update (<a href="https://github.test/head/kubemin.yaml#L9">kubemin.yaml:9</a>)');
    expect(linked).toContain('<code>Secret shop/auth</code> (<a href="https://github.test/head/kubemin.yaml#L13">kubemin.yaml:13</a>): Forbidden');
  });

  it('secret values appear nowhere, end to end: changes show as before/after marks', () => {
    const base = shop({ password: 'hunter2-old-value' });
    const head = shop({ password: 'hunter2-new-value' });
    const { comments, summary } = composeReport(input(base, head));
    for (const text of [...comments, summary]) {
      expect(text).toContain('-  password: "*** (before)"\n+  password: "*** (after)"');
      for (const secret of ['hunter2-old-value', 'hunter2-new-value']) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      }
    }
    const created = composeReport(input([], head)).summary;
    expect(created).toContain('+  password: "***"');
    expect(created).not.toMatch(/hunter2|aHVudGVyMi/);
  });

  it('escapes HTML in problems and sources, and fences a diff containing ``` with a longer fence', () => {
    const head = compiled(
      { components: [{ name: 'readme', type: 'config', data: { 'README.md': 'Run:\n```sh\nmake\n```\n' } }] },
      { name: 'docs', namespace: 'docs' },
    );
    const rendered = diffRendered([], head).map((a) => ({ ...a, objects: a.objects.map((o) => ({ ...o, source: 'specs/<odd>.yaml:3' })) }));
    const { summary } = composeReport({ rendered, headApps: head, ...SHAS, problems: ['the base did not compile: <script>alert(1)</script>'] });
    expect(summary).toContain('> - the base did not compile: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(summary).not.toContain('<script>');
    expect(summary).toContain('create (specs/&lt;odd&gt;.yaml:3)');
    expect(summary).toContain('````diff\n');
    expectBalanced(summary);
  });

  it('a big report is split between sections into comments under the limit, each marked and balanced', () => {
    const base = configs(40, 30, 1);
    const head = configs(40, 30, 2);
    const { comments, summary } = composeReport(input(base, head), { maxCommentSize: 20_000, maxComments: 50 });
    expect(comments.length).toBeGreaterThan(3);
    comments.forEach((c, i) => {
      expect(c.length).toBeLessThan(20_000);
      expect(c.split('\n').slice(0, 2)).toEqual([REPORT_MARKER, `### kubemin: what this pull request changes (part ${i + 1} of ${comments.length})`]);
      expectBalanced(c);
      expect(c).not.toContain('cut:');
    });
    expect(comments.slice(1).every((c) => c.includes('<details open><summary><b>big</b> (continued)</summary>'))).toBe(true);
    // Every object's section is whole in exactly one comment, and in the summary.
    for (let i = 0; i < 40; i++) {
      const title = `<code>ConfigMap big/conf-${String(i).padStart(3, '0')}</code> update`;
      expect(comments.filter((c) => c.includes(title))).toHaveLength(1);
      expect(summary).toContain(title);
    }
    expect(summary).not.toContain('(part ');
    expectBalanced(summary);
  });

  it('a single section larger than a comment is cut with a notice, fences and details closed', () => {
    const head = configs(1, 3_000);
    const { comments, summary } = composeReport(input([], head), { maxCommentSize: 10_000 });
    const parts = comments.filter((c) => c.includes('ConfigMap big/conf-000'));
    expect(parts).toHaveLength(1);
    const [c] = parts;
    expect(c!.length).toBeLessThan(10_000);
    expect(c).toMatch(/```\n\n> \*\*… cut: \d+ more lines; see the job summary\*\*\n\n<\/details>\n/);
    const more = Number(/cut: (\d+) more lines/.exec(c!)![1]);
    const shown = c!.split('\n').filter((l) => /^\+ {4}line \d+/.test(l)).length;
    expect(shown + more).toBeGreaterThanOrEqual(3_000);
    for (const comment of comments) expectBalanced(comment);
    expect(summary).not.toContain('cut:');
    expect(summary).toContain('+    line 2999 of config 0, version 1');
  });

  it('past maxComments, the last comment says the rest is in the job summary, linked', () => {
    const { comments } = composeReport(input(configs(40, 30, 1), configs(40, 30, 2)), {
      maxCommentSize: 20_000,
      maxComments: 2,
      summaryUrl: 'https://github.com/acme/deploy/actions/runs/42/attempts/1#summary-7',
    });
    expect(comments).toHaveLength(2);
    expect(comments[1]!.split('\n')[1]).toContain('(part 2 of 2)');
    expect(comments[1]).toMatch(
      /> \*\*The rest of the report \(\d+ more sections\) is in the job summary\*\* \(\[open it\]\(https:\/\/github\.com\/acme\/deploy\/actions\/runs\/42\/attempts\/1#summary-7\)\)/,
    );
    expect(comments[0]).not.toContain('The rest of the report');
    for (const c of comments) {
      expect(c.length).toBeLessThan(20_000);
      expectBalanced(c);
    }
  });

  it('the job summary is cut at its own limit, with a notice', () => {
    const { summary } = composeReport(input(configs(40, 30, 1), configs(40, 30, 2)), { maxSummarySize: 30_000 });
    expect(summary.length).toBeLessThanOrEqual(30_000);
    expect(summary).toMatch(/> \*\*The report was cut here\*\*: \d+ more sections did not fit in the job summary \(30,000 characters\)/);
    expectBalanced(summary);
  });

  it('refuses sizes that leave no room for the report', () => {
    expect(() => composeReport(input(shop(), shop()), { maxCommentSize: 200 })).toThrow(RangeError);
    expect(() => composeReport(input(shop(), shop()), { maxComments: 0 })).toThrow(RangeError);
  });
});
