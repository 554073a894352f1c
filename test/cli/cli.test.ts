import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readTree, REPO } from '../helpers/tree.js';

const SHOP = join(REPO, 'examples/shop');

function repoWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const BAD = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: bad}
spec:
  components:
    - {name: web, type: webservice, image: x, replica: 2}
`;

describe('kubemin validate', () => {
  it('exits 0 on valid specs', async () => {
    const r = await cli(['validate', SHOP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 file\(s\), 1 application\(s\): no problems found/);
  });

  it('exits 1 and prints file:line:col code message with a code frame and a hint', async () => {
    const dir = repoWith({ 'kubemin.yaml': BAD });
    const r = await cli(['validate'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('kubemin.yaml:6:47 error unknown-field unknown field "replica" in component "web"');
    expect(r.stderr).toContain('> 6 |     - {name: web, type: webservice, image: x, replica: 2}');
    expect(r.stderr).toContain('hint: did you mean "replicas"?');
    expect(r.stderr).toContain('1 error, 0 warnings in 1 file');
  });

  it('--format json and --format github', async () => {
    const dir = repoWith({ 'apps/kubemin.yaml': BAD });
    const json = await cli(['validate', '--format', 'json'], dir);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { errors: number; diagnostics: Array<{ file: string; line: number; col: number; code: string }> };
    expect(parsed.errors).toBe(1);
    expect(parsed.diagnostics[0]).toMatchObject({ file: 'apps/kubemin.yaml', line: 6, col: 47, code: 'unknown-field' });
    const gh = await cli(['validate', '--format', 'github'], dir);
    expect(gh.stdout).toBe(
      '::error file=apps/kubemin.yaml,line=6,col=47,title=kubemin unknown-field::unknown field "replica" in component "web" (did you mean "replicas"?)\n',
    );
  });

  it('warnings do not fail unless --strict', async () => {
    const dir = repoWith({
      'kubemin.yaml': `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: s}
spec:
  components:
    - {name: creds, type: secret, stringData: {TOKEN: hunter2-very-secret}}
`,
    });
    const r = await cli(['validate'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning plain-secret');
    expect(r.stderr).not.toContain('hunter2');
    expect((await cli(['validate', '--strict'], dir)).code).toBe(1);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['validate', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['validate', '/nonexistent/path'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('an empty directory is a problem, not silence', async () => {
    const r = await cli(['validate'], tempDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no kubemin.yaml/);
  });
});

describe('kubemin render', () => {
  it('writes the bundle, and --check reports nothing to change', async () => {
    const out = join(tempDir(), 'out');
    const r = await cli(['render', SHOP, '--out', out]);
    expect(r.code).toBe(0);
    const tree = readTree(out);
    expect(tree.has('shop.plan.json')).toBe(true);
    expect(tree.has('shop/05-app/05-deployment-web.yaml')).toBe(true);
    const check = await cli(['render', SHOP, '--out', out, '--check']);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('is up to date');
  });

  it('--check exits 1 and lists added, changed and removed files', async () => {
    const out = join(tempDir(), 'out');
    await cli(['render', SHOP, '--out', out]);
    writeFileSync(join(out, 'shop/05-app/05-deployment-web.yaml'), 'tampered\n');
    writeFileSync(join(out, 'shop/05-app/99-extra.yaml'), 'extra\n');
    const r = await cli(['render', SHOP, '--out', out, '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('~ shop/05-app/05-deployment-web.yaml\n- shop/05-app/99-extra.yaml\n');
    expect(readFileSync(join(out, 'shop/05-app/05-deployment-web.yaml'), 'utf8')).toBe('tampered\n');
  });

  it('removes stale files of an app and apps that are gone, but nothing it does not own', async () => {
    const repo = tempDir();
    cpSync(SHOP, join(repo, 'shop'), { recursive: true });
    const spec2 = readFileSync(join(SHOP, 'kubemin.yaml'), 'utf8').replace(/name: shop\n {2}namespace: shop/, 'name: other\n  namespace: other');
    mkdirSync(join(repo, 'other'));
    writeFileSync(join(repo, 'other/kubemin.yaml'), spec2);
    const out = join(tempDir(), 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'README.md'), 'not kubemin\n');
    expect((await cli(['render', repo, '--out', out])).code).toBe(0);
    expect(readTree(out).has('other.plan.json')).toBe(true);
    // Drop the worker from shop and the whole "other" app.
    const shop = readFileSync(join(repo, 'shop/kubemin.yaml'), 'utf8')
      .replace(/ {4}- name: worker[\s\S]*?(?= {2}workflow:)/, '')
      .replace('[web, worker]', '[web]')
      .replace(', {component: worker}', '');
    writeFileSync(join(repo, 'shop/kubemin.yaml'), shop);
    rmSync(join(repo, 'other/kubemin.yaml'));
    const r = await cli(['render', repo, '--out', out]);
    expect(r.code).toBe(0);
    const tree = readTree(out);
    expect([...tree.keys()].some((p) => p.includes('worker'))).toBe(false);
    expect([...tree.keys()].some((p) => p.startsWith('other'))).toBe(false);
    expect(tree.get('README.md')).toBe('not kubemin\n');
  });

  it('changes nothing under --out when any spec is invalid', async () => {
    const repo = tempDir();
    cpSync(SHOP, join(repo, 'shop'), { recursive: true });
    const out = join(tempDir(), 'out');
    await cli(['render', repo, '--out', out]);
    const before = readTree(out);
    writeFileSync(join(repo, 'broken.kubemin.yaml'), BAD);
    writeFileSync(join(repo, 'shop/kubemin.yaml'), readFileSync(join(repo, 'shop/kubemin.yaml'), 'utf8').replace('replicas: 2', 'replicas: 3'));
    const r = await cli(['render', repo, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was rendered');
    expect(readTree(out)).toEqual(before);
  });

  it('without --out prints one YAML stream in apply order', async () => {
    const r = await cli(['render', SHOP]);
    expect(r.code).toBe(0);
    const kinds = [...r.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    expect(kinds.slice(0, 4)).toEqual(['Namespace', 'ConfigMap', 'NetworkPolicy', 'Service']);
    expect(kinds.at(-1)).toBe('Ingress');
  });

  it('the bundle is readable by kubectl as is (kubectl label --local -R -f)', async () => {
    const out = join(tempDir(), 'out');
    await cli(['render', join(REPO, 'examples'), join(REPO, 'fixtures/render'), '--out', out]);
    for (const app of ['shop', 'everything', 'data', 'layered']) {
      const yaml = execFileSync('kubectl', ['label', '--local', '-R', '-f', join(out, app), 'checked=yes', '-o', 'name'], { encoding: 'utf8' });
      const files = [...readTree(join(out, app)).keys()];
      expect(yaml.trim().split('\n')).toHaveLength(files.length);
    }
  });
});

describe('kubemin plan and schema', () => {
  it('plan prints the phases as a tree', async () => {
    const r = await cli(['plan', SHOP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('├─ 04-migrate  serial, timeout 5m');
    expect(r.stdout).toMatch(/└─ 05-app {2}parallel, timeout 10m\n/);
    expect(r.stdout).toMatch(/Job\/migrate-[0-9a-f]{8} +migrate +examples\/shop\/kubemin.yaml:23\n/);
  });

  it('plan --format json and --app', async () => {
    const r = await cli(['plan', join(REPO, 'examples'), '--app', 'reports', '-o', 'json']);
    expect(r.code).toBe(0);
    const plans = JSON.parse(r.stdout) as Array<{ app: string; phases: unknown[] }>;
    expect(plans.map((p) => p.app)).toEqual(['reports']);
    expect((await cli(['plan', join(REPO, 'examples'), '--app', 'nope'])).code).toBe(2);
  });

  it('schema prints the JSON Schema', async () => {
    const r = await cli(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).$id).toBe('https://kubemin.dev/schemas/v1alpha1/kubemin.schema.json');
  });
});
