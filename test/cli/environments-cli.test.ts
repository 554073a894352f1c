import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { compile } from '../../src/compile.js';
import { formatApplyText } from '../../src/apply/format-text.js';
import type { AppApplyResult } from '../../src/apply/types.js';
import { formatDiffMarkdown } from '../../src/diff/format-markdown.js';
import { clusterTargets } from '../../src/operations/cluster-targets.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readTree } from '../helpers/tree.js';

/**
 * `--env` on render, plan, diff and apply, as a user types it: unknown environments, apps left
 * out, the two bundle layouts, and which cluster diff and apply go to (decided before any is
 * contacted).
 */

function spec(name: string, environments?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: name },
    spec: {
      components: [
        { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] },
      ],
      ...(environments ? { environments } : {}),
    },
  };
}

const BOOKS = spec('books', [
  { name: 'dev', namespace: 'books-dev', components: { web: { env: { DEBUG: '1' } } } },
  { name: 'staging', namespace: 'books-staging', cluster: 'staging-eu' },
  { name: 'production', cluster: 'prod-eu', components: { web: { replicas: 3 } } },
]);
// Only in dev: left out of staging and production.
const SANDBOX = spec('sandbox', [{ name: 'dev' }]);
const STATUS = spec('status');

function repo(...docs: Array<Record<string, unknown>>): string {
  const dir = tempDir();
  docs.forEach((doc, i) => {
    mkdirSync(join(dir, `app${i}`));
    writeFileSync(join(dir, `app${i}`, 'kubemin.yaml'), emitYaml(doc as never));
  });
  return dir;
}

/** A kubeconfig with one context, whose server is never reached by these tests. */
function kubeconfig(): string {
  const path = join(tempDir(), 'config');
  writeFileSync(
    path,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t0ken-value}}]\ncontexts: [{name: here, context: {cluster: c, user: u}}]\ncurrent-context: here\n',
  );
  return path;
}

describe('--env on render and plan', () => {
  it('an environment no app has: exit 2, one line with the names there are and a guess', async () => {
    const dir = repo(BOOKS, STATUS);
    for (const command of [
      ['render', dir, '--out', join(tempDir(), 'out')],
      ['plan', dir],
      ['render', dir],
    ]) {
      const r = await cli([...command, '--env', 'stagin']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'kubemin: --env stagin: no application has an environment "stagin"; did you mean "staging"? (environments: dev, production, staging)\n',
      );
      expect(r.stdout).toBe('');
    }
    const none = await cli(['plan', repo(STATUS), '--env', 'dev']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('kubemin: --env dev: no application here has environments (spec.environments)\n');
  });

  it('apps that have environments but not this one are named on stderr, one line each; the others are rendered', async () => {
    const dir = repo(BOOKS, SANDBOX, STATUS);
    const out = join(tempDir(), 'out');
    const r = await cli(['render', dir, '--out', out, '--env', 'staging']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`sandbox: no environment "staging", not rendered\nrendered 2 application(s) into ${out} (2 changed)\n`);
    expect([...readTree(out, (p) => p.endsWith('.plan.json')).keys()]).toEqual(['books.plan.json', 'status.plan.json']);
    const plan = await cli(['plan', dir, '--env', 'production']);
    expect(plan.stderr).toBe('sandbox: no environment "production", not planned\n');
    // --app naming an app without that environment: said once, exit 2, nothing rendered.
    const one = await cli(['render', dir, '--out', join(tempDir(), 'other'), '--env', 'staging', '--app', 'sandbox']);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe('sandbox: no environment "staging", not rendered\n');
  });

  it('render --out without --env: DIR/<env>/<app>/; with it, DIR/<app>/ holding the same manifests', async () => {
    const dir = repo(BOOKS, STATUS);
    const all = join(tempDir(), 'all');
    const r = await cli(['render', dir, '--out', all]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`rendered 2 application(s) (3 environment variants) into ${all} (4 changed)\n`);
    const tree = readTree(all, (p) => p !== '.kubemin-bundle.json');
    expect([...tree.keys()].filter((p) => p.endsWith('.plan.json'))).toEqual([
      'dev/books.plan.json',
      'production/books.plan.json',
      'staging/books.plan.json',
      'status.plan.json',
    ]);
    for (const env of ['dev', 'staging', 'production']) {
      const one = join(tempDir(), env);
      expect((await cli(['render', dir, '--out', one, '--env', env])).code).toBe(0);
      const flat = readTree(join(one, 'books'));
      expect(flat).toEqual(readTree(join(all, env, 'books')));
      const plan = JSON.parse(readFileSync(join(one, 'books.plan.json'), 'utf8')) as { environment: string; phases: Array<{ dir: string }> };
      expect(plan.environment).toBe(env);
      expect(plan.phases[0]!.dir).toBe('books/01-settings-web');
      // The app without environments is written the same in every layout.
      expect(readTree(join(one, 'status'))).toEqual(readTree(join(all, 'status')));
      expect(readFileSync(join(one, 'status.plan.json'), 'utf8')).toBe(tree.get('status.plan.json'));
    }
    // render --check knows the layout it compares with.
    expect(await cli(['render', dir, '--out', all, '--check'])).toMatchObject({ code: 0, stderr: `${all} is up to date\n` });
    const check = await cli(['render', dir, '--out', all, '--check', '--env', 'dev']);
    expect(check.code).toBe(1);
    expect(check.stdout.split('\n')).toContain('+ books.plan.json');
    expect(check.stdout.split('\n')).toContain('- dev/books.plan.json');
  });

  it('plan shows the environment (and its cluster) in each app header; --format json has them in each plan', async () => {
    const dir = repo(BOOKS, STATUS);
    const tree = await cli(['plan', dir]);
    expect(tree.code).toBe(0);
    const headers = tree.stdout.split('\n').filter((l) => /^[a-z]/.test(l));
    expect(headers.map((h) => h.replace(/ \S+kubemin\.yaml:\d+$/, ''))).toEqual([
      'dev/books (namespace books-dev, 1 phases, 3 objects)',
      'production/books (namespace books, cluster prod-eu, 1 phases, 4 objects)',
      'staging/books (namespace books-staging, cluster staging-eu, 1 phases, 3 objects)',
      'status (namespace status, 1 phases, 3 objects)',
    ]);
    expect(tree.stdout).toContain('\n└─ 01-settings-web  parallel, timeout 5m\n');
    const json = await cli(['plan', dir, '--env', 'staging', '-o', 'json']);
    const plans = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(plans.map((p) => [p.app, p.environment, p.cluster, p.namespace])).toEqual([
      ['books', 'staging', 'staging-eu', 'books-staging'],
      ['status', undefined, undefined, 'status'],
    ]);
  });
});

describe('which cluster diff and apply go to', () => {
  const apps = compile([BOOKS, SANDBOX, STATUS].map((d, i) => ({ path: `${i}.yaml`, text: emitYaml(d as never) }))).apps;
  const byEnv = (env: string) => apps.filter((a) => !a.environment || a.environment === env);
  const names = (targets: ReturnType<typeof clusterTargets>) => targets.map((t) => [t.context, t.apps.map((a) => `${a.environment ?? '-'}/${a.name}`)]);

  it("one environment: each app to its environment's cluster, the others to the current context", () => {
    expect(names(clusterTargets(byEnv('staging'), { verb: 'apply' }))).toEqual([
      ['staging-eu', ['staging/books']],
      [undefined, ['-/status']],
    ]);
    expect(names(clusterTargets(byEnv('dev'), { verb: 'apply' }))).toEqual([[undefined, ['dev/books', 'dev/sandbox', '-/status']]]);
    // --context wins.
    expect(names(clusterTargets(byEnv('staging'), { verb: 'apply', context: 'kind' }))).toEqual([['kind', ['staging/books', '-/status']]]);
  });

  it('several environments bound for different clusters are refused, asking for --env', () => {
    expect(() => clusterTargets(apps, { verb: 'apply' })).toThrow(
      'these applications go to different clusters: dev/books to the current context, production/books to context "prod-eu", staging/books to context "staging-eu", dev/sandbox to the current context, status to the current context; apply one environment at a time with --env NAME (dev, production, staging)',
    );
    expect(() => clusterTargets(apps, { verb: 'diff', context: 'kind' })).toThrow(
      '--context kind would put environments meant for different clusters ("prod-eu", "staging-eu") into one: diff one environment at a time with --env NAME (dev, production, staging)',
    );
    // Environments that name no cluster all go to the current context: one command is fine.
    const local = compile([
      {
        path: 'a.yaml',
        text: emitYaml(
          spec('books', [
            { name: 'dev', namespace: 'books-dev' },
            { name: 'qa', namespace: 'books-qa' },
          ]) as never,
        ),
      },
    ]).apps;
    expect(names(clusterTargets(local, { verb: 'apply' }))).toEqual([[undefined, ['dev/books', 'qa/books']]]);
  });

  it('the CLI says so before contacting any cluster: exit 2, one line', async () => {
    const dir = repo(BOOKS, STATUS);
    const config = kubeconfig();
    const apply = await cli(['apply', dir, '--kubeconfig', config]);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toMatch(
      /^kubemin: these applications go to different clusters: dev\/books to the current context, .*; apply one environment at a time with --env NAME \(dev, production, staging\)\n$/,
    );
    // An environment's cluster that the kubeconfig lacks.
    const diff = await cli(['diff', dir, '--kubeconfig', config, '--env', 'staging']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toBe(
      'kubemin: environment "staging" names cluster "staging-eu" (its kubeconfig context): no context "staging-eu" in the kubeconfig; give --context to use another\n',
    );
    // The secret of the kubeconfig is in no output.
    expect(apply.stderr + diff.stderr).not.toContain('t0ken-value');
  });

  it('apply DIR reads the environment from the bundle, and --env selects in it', async () => {
    const dir = repo(BOOKS, SANDBOX, STATUS);
    const out = join(tempDir(), 'out');
    expect((await cli(['render', dir, '--out', out])).code).toBe(0);
    const config = kubeconfig();
    const all = await cli(['apply', out, '--kubeconfig', config, '--dry-run']);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain(
      'kubemin: these applications go to different clusters: dev/books to the current context, production/books to context "prod-eu"',
    );
    const wrong = await cli(['apply', out, '--kubeconfig', config, '--env', 'prodution']);
    expect(wrong.stderr).toBe(
      'kubemin: --env prodution: no application has an environment "prodution"; did you mean "production"? (environments: dev, production, staging)\n',
    );
    const missing = await cli(['apply', out, '--kubeconfig', config, '--env', 'production', '--dry-run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'kubemin: environment "production" names cluster "prod-eu" (its kubeconfig context): no context "prod-eu" in the kubeconfig; give --context to use another\n',
    );
  });
});

describe('outputs name a variant <env>/<app>', () => {
  it('diff -o markdown and the apply text', () => {
    const diff = {
      app: 'books',
      environment: 'staging',
      namespace: 'books-staging',
      problems: [],
      objects: [
        {
          action: 'create' as const,
          ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'books-staging', name: 'settings' },
          component: 'settings',
          source: 'kubemin.yaml:8',
          phase: '01-settings',
          diff: '+a\n',
          note: null,
        },
      ],
    };
    const md = formatDiffMarkdown([diff, { ...diff, environment: undefined, namespace: 'books' }]);
    expect(md).toContain('| staging/books | books-staging | 1 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('| books | books | 1 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('<summary>staging/books: <code>ConfigMap books-staging/settings</code> create');
    const result: AppApplyResult = {
      app: 'books',
      environment: 'production',
      namespace: 'books',
      outcome: 'planned',
      startedAt: '',
      finishedAt: '',
      durationMs: 0,
      phases: [],
      pruned: [],
      failure: null,
      warnings: [],
    };
    expect(formatApplyText([result])).toBe('production/books: dry-run of 0 phases to namespace books\nproduction/books: dry-run: nothing was changed\n');
  });
});
