import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppDiff } from '../../src/diff/types.js';
import { renderHtml } from '../../src/view/render-html.js';
import { viewModel } from '../../src/view/view-model.js';
import { cli } from '../helpers/cli.js';
import { phase, plan, SECRET_VALUE, writeFixture } from './view-fixture.js';

describe('the page', () => {
  it('escapes every text: names with <, & and quotes stay text', () => {
    const evil = plan('a<b>&"c\'', [phase(1, '<script>alert(1)</script>', ['x&y'])]);
    const html = renderHtml(viewModel([evil]));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<h2 id="app-a-b-c--h">a&lt;b&gt;&amp;&quot;c&#39;</h2>');
    expect(html).toContain('<code>x&amp;y</code>');
  });

  it('says mode and step type in words, and by shape: a double border for parallel, a dashed box for a check', () => {
    const html = renderHtml(
      viewModel([
        plan('shop', [phase(1, 'gpus', [], { type: 'gpu-preflight', timeout: '1m' }), phase(2, 'db', ['db']), phase(3, 'web', ['web'], { mode: 'parallel' })]),
      ]),
    );
    expect(html).toContain(
      'class="phase mode-serial type-other" href="#app-shop--1" tabindex="0" aria-label="Phase 1 of 3: gpus. gpu-preflight, serial, timeout 1m. 0 objects"',
    );
    expect(html).toContain(
      'class="phase mode-serial type-deploy" href="#app-shop--2" tabindex="0" aria-label="Phase 2 of 3: db. serial, timeout 5m. 1 object"',
    );
    expect(html).toMatch(/class="phase mode-parallel type-deploy"[^>]*><rect [^>]*\/><rect class="inner"/);
    expect(html).toContain('.phase.type-other rect { fill: #fff8c5; stroke: #9a6700; stroke-dasharray: 6 3; }');
  });

  it('fetches nothing: no URL to another place, a policy that forbids loading', () => {
    const html = renderHtml(viewModel([plan('shop', [phase(1, 'db', ['db']), phase(2, 'web', ['web'])])]));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\((?!#)/);
    // The only absolute URL is the SVG namespace (a name, never fetched).
    expect(html.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('is the same bytes for the same specs, written twice', async () => {
    const dir = writeFixture();
    expect((await cli(['view', '.', '--out', 'one.html'], dir)).code).toBe(0);
    expect((await cli(['view', '.', '--out', 'two.html'], dir)).code).toBe(0);
    const one = readFileSync(join(dir, 'one.html'));
    expect(one.length).toBeGreaterThan(1000);
    expect(readFileSync(join(dir, 'two.html')).equals(one)).toBe(true);
  });

  it('shows the Secret by name, never its value', async () => {
    const dir = writeFixture();
    const r = await cli(['view', '.', '--out', 'page.html'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'wrote page.html (2 applications)\n' });
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html).toContain('<td>Secret</td><td><code>db-auth</code></td>');
    expect(html).not.toContain(SECRET_VALUE);
    expect(html).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    expect(r.stdout + r.stderr).not.toContain(SECRET_VALUE);
  });

  it('lists each phase with mode, timeout, components, what it comes after, and its objects with source lines', async () => {
    const dir = writeFixture();
    await cli(['view', '.', '--out', 'page.html'], dir);
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html).toContain(
      '<p>step type deploy; mode serial; timeout 5m; retries 0; components: <code>web</code>; after: data (dependsOn); backend (dependsOn, workflow order).</p>',
    );
    expect(html).toMatch(/<td>Deployment<\/td><td><code>web<\/code><\/td><td>web<\/td><td><code>kubemin\.yaml:\d+<\/code><\/td>/);
    expect(html).toContain('class="edge edge-depends-on"');
  });

  it('refuses invalid specs: exit 1, no file', async () => {
    const dir = writeFixture();
    const { writeFileSync, existsSync } = await import('node:fs');
    writeFileSync(join(dir, 'kubemin.yaml'), 'apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: x}\nspec: {components: []}\n');
    const r = await cli(['view', '.', '--out', 'page.html'], dir);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'page.html'))).toBe(false);
  });
});

describe('the page with a live diff', () => {
  const diff: AppDiff = {
    app: 'shop',
    namespace: 'ns',
    objects: [
      {
        action: 'update',
        ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'db' },
        component: 'db',
        source: 'k.yaml:11',
        phase: 'db',
        diff: '-a: <old>\n+a: new\n',
        note: null,
      },
      {
        action: 'unchanged',
        ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'web' },
        component: 'web',
        source: 'k.yaml:12',
        phase: 'web',
        diff: '',
        note: null,
      },
      {
        action: 'delete',
        ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'gone' },
        component: null,
        source: null,
        phase: null,
        diff: '-a: b\n',
        note: null,
      },
    ],
    problems: [
      {
        ref: { apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: 'api' },
        component: 'api',
        source: null,
        reason: 'Forbidden',
        message: 'denied & <logged>',
      },
    ],
  };
  const html = renderHtml(viewModel([plan('shop', [phase(1, 'db', ['db']), phase(2, 'web', ['web'])])], { live: new Map([['shop', diff]]) }));

  it('says per object what applying would do, the diff escaped, and per phase node how many change', () => {
    expect(html).toContain('Live diff with the cluster: 0 to create, 1 to update, 1 to delete, 1 unchanged, 1 error.');
    expect(html).toContain('<td class="changed">update<details><summary>diff of ConfigMap ns/db</summary><pre>-a: &lt;old&gt;\n+a: new\n</pre></details></td>');
    expect(html).toContain('<td>unchanged</td>');
    expect(html).toContain('>live: 1 to change</text>');
    expect(html).toContain('>live: no change</text>');
  });

  it('lists what would be pruned and what could not be compared', () => {
    expect(html).toContain('<li>ConfigMap ns/gone: delete<details>');
    expect(html).toContain('<li>Service ns/api: denied &amp; &lt;logged&gt;</li>');
  });

  it('has no Live column without a live diff', () => {
    expect(renderHtml(viewModel([plan('shop', [phase(1, 'db', ['db'])])]))).not.toContain('Live');
  });
});
