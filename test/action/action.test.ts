import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { ACTION_BUILD, ACTION_FILES } from '../../scripts/build-action.mjs';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { git } from '../watch/git/remote-fixture.js';
import { FakeGitHub } from './fake-github.js';

/**
 * The bundled Action (dist/index.mjs) run as GitHub runs it: `node dist/index.mjs` with the
 * GITHUB_* and INPUT_* environment, an event payload file, a real git repository with a base and
 * a head commit, and a local HTTP server standing in for the GitHub REST API.
 */

const run = promisify(execFile);
const TOKEN = 'ghs_test-token-0123456789';
const OWNER_REPO = 'acme/deploy';
const SECRET = 'the-db-password-value';
const SERVER = 'https://github.example';

function appYaml(ns: string, image: string, extra: Array<Record<string, unknown>> = []): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: ns },
    spec: {
      components: [
        { name: 'creds', type: 'secret', stringData: { PASSWORD: SECRET } },
        { name: 'web', type: 'webservice', image, ports: [{ port: 8080 }], traits: { envFrom: [{ type: 'secret', sourceName: 'creds' }] } },
        ...extra,
      ],
      workflow: {
        steps: [
          { name: 'secrets', components: ['creds'] },
          { name: 'app', components: ['web', ...extra.map((c) => c.name as string)], mode: 'parallel' },
        ],
      },
    },
  } as never);
}

/** `shop` with staging and production, each in a namespace of its own (`<ns>-<env>` unless given): staging overrides the image, production the replicas. */
function envApp(
  ns: string,
  o: { logLevel?: string; stagingImage?: string; stagingCluster?: string; productionCluster?: string; productionNs?: string } = {},
): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: ns },
    spec: {
      components: [
        { name: 'creds', type: 'secret', stringData: { PASSWORD: SECRET } },
        {
          name: 'web',
          type: 'webservice',
          image: 'ghcr.io/acme/web:1.0',
          ports: [{ port: 8080 }],
          env: { LOG_LEVEL: o.logLevel ?? 'info' },
          traits: { envFrom: [{ type: 'secret', sourceName: 'creds' }] },
        },
      ],
      environments: [
        {
          name: 'staging',
          namespace: `${ns}-staging`,
          ...(o.stagingCluster ? { cluster: o.stagingCluster } : {}),
          components: { web: { image: o.stagingImage ?? 'ghcr.io/acme/web:1.1-rc.1' } },
        },
        {
          name: 'production',
          namespace: o.productionNs ?? `${ns}-production`,
          ...(o.productionCluster ? { cluster: o.productionCluster } : {}),
          components: { web: { replicas: 2 } },
        },
      ],
    },
  } as never);
}

interface Repo {
  dir: string;
  base: string;
  head: string;
}

/** A repository whose base commit has `before` (and `files`) and whose head (checked out) has `after`. */
function repository(before: string, after: string, files: Record<string, string> = {}): Repo {
  const dir = tempDir('kubemin-action-');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  mkdirSync(join(dir, 'apps', 'shop'), { recursive: true });
  writeFileSync(join(dir, 'apps', 'shop', 'kubemin.yaml'), before);
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  writeFileSync(join(dir, 'apps', 'shop', 'kubemin.yaml'), after);
  git(dir, 'commit', '--quiet', '-am', 'head');
  return { dir, base, head: git(dir, 'rev-parse', 'HEAD') };
}

let github: FakeGitHub;
beforeEach(async () => {
  github = new FakeGitHub(OWNER_REPO, TOKEN);
  await github.start();
});
afterEach(() => github.stop());

interface ActionRun {
  code: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

interface RunOptions {
  fork?: boolean;
  event?: string;
}

/** The runner's files (event payload, summary, outputs) and the environment GitHub gives an Action. */
function runnerEnv(repo: Repo, inputs: Record<string, string>, opts: RunOptions): { runner: string; env: Record<string, string> } {
  const runner = tempDir('kubemin-runner-');
  const event = {
    action: 'synchronize',
    number: 7,
    repository: { full_name: OWNER_REPO },
    pull_request: {
      number: 7,
      base: { sha: repo.base, repo: { full_name: OWNER_REPO } },
      head: { sha: repo.head, repo: { full_name: opts.fork ? 'someone/deploy' : OWNER_REPO } },
    },
  };
  writeFileSync(join(runner, 'event.json'), JSON.stringify(event));
  writeFileSync(join(runner, 'summary.md'), '');
  writeFileSync(join(runner, 'output'), '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_EVENT_NAME: opts.event ?? 'pull_request',
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_REPOSITORY: OWNER_REPO,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: SERVER,
    GITHUB_RUN_ID: '42',
    GITHUB_SHA: repo.head,
    GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
    GITHUB_OUTPUT: join(runner, 'output'),
    RUNNER_TEMP: runner,
    'INPUT_GITHUB-TOKEN': TOKEN,
    INPUT_PATH: 'apps',
    INPUT_COMMENT: 'true',
    INPUT_MODE: 'render',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  return { runner, env };
}

async function runAction(repo: Repo, inputs: Record<string, string>, opts: RunOptions = {}): Promise<ActionRun> {
  const { runner, env } = runnerEnv(repo, inputs, opts);
  const r = await run(process.execPath, [join(REPO, 'dist/index.mjs')], {
    cwd: repo.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  }).then(
    (x) => ({ code: 0, stdout: x.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  const outputs: Record<string, string> = {};
  const raw = readFileSync(join(runner, 'output'), 'utf8');
  for (const m of raw.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { ...r, summary: readFileSync(join(runner, 'summary.md'), 'utf8'), outputs };
}

/**
 * The Action's run() (src/action/main.ts) run by GitHub's local-action, as a developer debugs an
 * Action: it loads the TypeScript entry, replaces @actions/core and @actions/github with its own,
 * reads the environment from a dotenv file and calls run(). Its exit code says nothing of the
 * Action's (it reports a failure in its output); outputs are printed as `::set-output`.
 */
async function runLocalAction(repo: Repo, inputs: Record<string, string>): Promise<{ stdout: string; summary: string; outputs: Record<string, string> }> {
  const { runner, env } = runnerEnv(repo, inputs, {});
  const dotenv = join(runner, '.env');
  writeFileSync(
    dotenv,
    Object.entries(env)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(''),
  );
  const bin = join(REPO, 'node_modules/@github/local-action/bin/local-action.js');
  const { stdout } = await run(process.execPath, [bin, REPO, 'src/action/main.ts', dotenv], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const outputs = Object.fromEntries([...stdout.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { stdout, summary: readFileSync(join(runner, 'summary.md'), 'utf8'), outputs };
}

describe('the GitHub Action, as GitHub runs it', { timeout: 120_000 }, () => {
  it('dist/ is up to date with src/ (npm run build:action)', async () => {
    const out = tempDir();
    await build({ ...ACTION_BUILD, outdir: out });
    for (const file of ACTION_FILES) {
      const fresh = readFileSync(join(out, file), 'utf8');
      const committed = readFileSync(join(REPO, 'dist', file), 'utf8');
      expect(committed === fresh, `dist/${file} is stale: run \`npm run build:action\` and commit dist/`).toBe(true);
    }
  });

  it('action.yml runs the bundle on the Node its build targets (node24), whose entry calls run()', () => {
    const yml = readFileSync(join(REPO, 'action.yml'), 'utf8');
    const using = /^ {2}using: (node\d+)$/m.exec(yml)?.[1];
    expect(using).toBe('node24');
    expect(ACTION_BUILD.target).toBe(using);
    expect(/^ {2}main: (\S+)$/m.exec(yml)?.[1]).toBe('dist/index.mjs');
    expect(readFileSync(join(REPO, 'src/action/index.ts'), 'utf8')).toMatch(/^void run\(\);$/m);
  });

  it('comments the rendered diff once, then updates the same comment; secret values masked', async () => {
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.1'));
    const first = await runAction(repo, {});
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ changed: 'true', 'apps-changed': 'shop' });
    const [comment] = github.on(7);
    expect(github.on(7)).toHaveLength(1);
    expect(comment).toMatch(/^<!-- kubemin:report -->\n/);
    expect(comment).toContain('-          image: ghcr.io/acme/web:1.0');
    expect(comment).toContain('+          image: ghcr.io/acme/web:1.1');
    expect(comment).toContain('```mermaid');
    // The only changed app is open; each object's source links to its line at the head commit.
    expect(comment).toContain('<details open><summary><b>shop</b> (changed)');
    expect(comment).toMatch(
      new RegExp(
        `<code>Deployment shop/web</code> update \\(<a href="${SERVER}/${OWNER_REPO}/blob/${repo.head}/apps/shop/kubemin\\.yaml#L(\\d+)">apps/shop/kubemin\\.yaml:\\1</a>\\)`,
      ),
    );
    expect(first.summary).toContain('+          image: ghcr.io/acme/web:1.1');
    expect(readFileSync(first.outputs['report-path']!, 'utf8')).toBe(first.summary);

    // A new push to the pull request: the same comment is updated, no second one.
    github.addForeign(7, 'LGTM');
    writeFileSync(join(repo.dir, 'apps', 'shop', 'kubemin.yaml'), appYaml('shop', 'ghcr.io/acme/web:1.2'));
    git(repo.dir, 'commit', '--quiet', '-am', 'head 2');
    const second = await runAction({ ...repo, head: git(repo.dir, 'rev-parse', 'HEAD') }, {});
    expect(second.code).toBe(0);
    const after = github.on(7);
    expect(after).toHaveLength(2);
    expect(after[0]).toContain('+          image: ghcr.io/acme/web:1.2');
    expect(after[1]).toBe('LGTM');
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    for (const text of [first.stdout, second.stdout, first.summary, second.summary, ...after]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    }
  });

  it('says "no changes" when the rendered manifests do not change', async () => {
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.0') + '# a comment\n');
    const r = await runAction(repo, {});
    expect(r.code).toBe(0);
    expect(r.outputs.changed).toBe('false');
    expect(github.on(7)[0]).toContain('No changes to rendered manifests');
  });

  it('splits a report larger than a comment into several, each under the limit', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      name: `svc-${i}`,
      type: 'webservice',
      image: `ghcr.io/acme/svc-${i}:1.0`,
      ports: [{ port: 8080 }],
      env: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`VAR_${j}`, `value-${i}-${j}`])),
    }));
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.0', many));
    const r = await runAction(repo, { 'max-comment-size': '8000' });
    expect(r.code).toBe(0);
    const comments = github.on(7);
    expect(comments.length).toBeGreaterThan(1);
    for (const c of comments) {
      expect(c.length).toBeLessThanOrEqual(8000);
      expect(c.startsWith('<!-- kubemin:report -->')).toBe(true);
    }
    expect(comments.at(-1)).toMatch(/job summary/);
    // Shrinking the report again deletes the comments no longer needed.
    git(repo.dir, 'reset', '--quiet', '--hard', repo.base);
    const small = await runAction({ ...repo, head: repo.base }, {});
    expect(small.code).toBe(0);
    expect(github.on(7)).toHaveLength(1);
  });

  it('compiles base and head with the plugins their checkouts declare', async () => {
    const plugin = (greeting: string) => appYaml('shop', 'ghcr.io/acme/web:1.0', [{ name: 'hello', type: 'greeting', greeting }]);
    const repo = repository(plugin('hello'), plugin('bonjour'), {
      'kubemin.config.mjs': "export default { plugins: ['./greeting.mjs'] };\n",
      'greeting.mjs': `export default { name: 'greeting', componentTypes: [{ name: 'greeting', description: 'a ConfigMap', maxNameLength: 63,
        capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
        properties: { greeting: { type: 'string' } }, required: ['greeting'],
        expand: (ctx) => [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta(ctx.component.name + '-greeting'), data: { text: ctx.component.greeting } } }] }] };\n`,
    });
    const r = await runAction(repo, {});
    expect(r.code).toBe(0);
    const comment = github.on(7)[0]!;
    expect(comment).toContain('<code>ConfigMap shop/hello-greeting</code> update');
    expect(comment).toContain('-  text: hello');
    expect(comment).toContain('+  text: bonjour');
  });

  it("annotates the problems of a bad spec and fails; the comment shows them, not the previous head's diff", async () => {
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.1'));
    expect((await runAction(repo, {})).code).toBe(0);
    expect(github.on(7)[0]).toContain('+          image: ghcr.io/acme/web:1.1');

    // The next push breaks the spec.
    writeFileSync(join(repo.dir, 'apps', 'shop', 'kubemin.yaml'), appYaml('shop', 'ghcr.io/acme/web:1.2').replace('ports:', 'portz:'));
    git(repo.dir, 'commit', '--quiet', '-am', 'head 2');
    const head = git(repo.dir, 'rev-parse', 'HEAD');
    const r = await runAction({ ...repo, head }, {});
    expect(r.code).toBe(1);
    const annotation = /^::error file=apps\/shop\/kubemin.yaml,line=(\d+),col=(\d+),title=kubemin unknown-field::.*portz/m.exec(r.stdout);
    expect(annotation, r.stdout).not.toBeNull();
    expect(r.stdout).toMatch(/::error::1 problem in the specs/);
    const comments = github.on(7);
    expect(comments).toHaveLength(1);
    const [comment] = comments;
    expect(comment).toMatch(/^<!-- kubemin:report -->\n/);
    expect(comment).toContain('**1 problem in the specs of this head**: nothing was rendered');
    const [, line, col] = annotation!;
    expect(comment).toContain(
      `- **error** <a href="${SERVER}/${OWNER_REPO}/blob/${head}/apps/shop/kubemin.yaml#L${line}">apps/shop/kubemin.yaml:${line}:${col}</a> <code>unknown-field</code>:`,
    );
    expect(comment).not.toContain('image: ghcr.io/acme/web');
    expect(comment).toContain(`head ${head}`);
    expect(r.summary).toBe(comment);
    expect(r.stdout + comment).not.toContain(SECRET);

    // Fixed again: the diff is back in the same comment.
    writeFileSync(join(repo.dir, 'apps', 'shop', 'kubemin.yaml'), appYaml('shop', 'ghcr.io/acme/web:1.2'));
    git(repo.dir, 'commit', '--quiet', '-am', 'head 3');
    expect((await runAction({ ...repo, head: git(repo.dir, 'rev-parse', 'HEAD') }, {})).code).toBe(0);
    expect(github.on(7)).toHaveLength(1);
    expect(github.on(7)[0]).toContain('+          image: ghcr.io/acme/web:1.2');
    expect(github.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
  });

  it('a Job whose template changed is one entry that replaces the old Job, with the diff between them', async () => {
    const migrate = (tag: string) => [{ name: 'migrate', type: 'job', image: `ghcr.io/acme/migrate:${tag}` }];
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0', migrate('1')), appYaml('shop', 'ghcr.io/acme/web:1.0', migrate('2')));
    const r = await runAction(repo, {});
    expect(r.code).toBe(0);
    const comment = github.on(7)[0]!;
    const entry =
      /<code>Job shop\/(migrate-[0-9a-f]{8})<\/code> replaces <code>Job shop\/(migrate-[0-9a-f]{8})<\/code> \(<a href="([^"]+)">apps\/shop\/kubemin\.yaml:(\d+)<\/a>\)/.exec(
        comment,
      );
    expect(entry, comment).not.toBeNull();
    const [, now, was, url, line] = entry!;
    expect(url).toBe(`${SERVER}/${OWNER_REPO}/blob/${repo.head}/apps/shop/kubemin.yaml#L${line}`);
    expect(comment).toContain(`-  name: ${was}\n+  name: ${now}\n`);
    expect(comment).toContain('-          image: ghcr.io/acme/migrate:1\n+          image: ghcr.io/acme/migrate:2\n');
    expect(comment).not.toMatch(/<code>Job [^<]*<\/code> (create|delete)/);
    expect(comment).toContain('| shop | changed | 1/2 | 0 | 1 | 0 |');
  });

  it("exports run(), which GitHub's local-action runs: same outputs, comment and summary", async () => {
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.1'));
    const r = await runLocalAction(repo, {});
    expect(r.outputs).toMatchObject({ changed: 'true', 'apps-changed': 'shop' });
    expect(r.stdout, r.stdout).not.toMatch(/::error::/);
    const comments = github.on(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/^<!-- kubemin:report -->\n/);
    expect(comments[0]).toContain('+          image: ghcr.io/acme/web:1.1');
    expect(r.summary).toContain('+          image: ghcr.io/acme/web:1.1');
    expect(r.stdout + r.summary + comments[0]).not.toContain(SECRET);
    // A failure is reported through core.setFailed, as on GitHub.
    const broken = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.0').replace('ports:', 'portz:'));
    const failed = await runLocalAction(broken, {});
    expect(failed.stdout).toMatch(/::error::1 problem in the specs/);
    expect(github.on(7)[0]).toContain('1 problem in the specs of this head');
  });

  it("from a fork under pull_request_target: the fork's plugins are never run (the workflow has secrets)", async () => {
    const marker = join(tempDir(), 'plugin-ran');
    const plugin = `writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.1'), {
      'kubemin.config.mjs': `import { writeFileSync } from 'node:fs';\n${plugin}export default { plugins: [] };\n`,
    });
    const r = await runAction(repo, {}, { fork: true, event: 'pull_request_target' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::this pull request comes from a fork and declares plugins \(kubemin\.config\.mjs\): kubemin does not run a fork's code under pull_request_target/,
    );
    expect(existsSync(marker)).toBe(false);
    // On pull_request (no secrets, a read-only token) the same fork is rendered with its plugins.
    const plain = await runAction(repo, {}, { fork: true });
    expect(plain.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('two environments: an override of staging changes staging only; a change of the base, both', async () => {
    const overridden = repository(envApp('shop'), envApp('shop', { stagingImage: 'ghcr.io/acme/web:1.2-rc.1' }));
    const r = await runAction(overridden, {});
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ changed: 'true', 'apps-changed': 'staging/shop' });
    const [comment] = github.on(7);
    expect(comment).toContain('| app | environment | status | phases (changed/total) | create | update | delete |');
    expect(comment).toMatch(/\| shop \| production \| unchanged \| 0\/\d+ \| 0 \| 0 \| 0 \|/);
    expect(comment).toMatch(/\| shop \| staging \| changed \| 1\/\d+ \| 0 \| 1 \| 0 \|/);
    expect(comment).toContain('<details open><summary><b>shop</b> in <b>staging</b> (changed)');
    expect(comment).not.toContain('<b>shop</b> in <b>production</b>');
    expect(comment).toContain('<code>Deployment shop-staging/web</code> update');
    expect(comment).toContain('+          image: ghcr.io/acme/web:1.2-rc.1');
    expect(comment).not.toContain('shop-production/');

    const based = repository(envApp('shop'), envApp('shop', { logLevel: 'debug' }));
    const both = await runAction(based, {});
    expect(both.code).toBe(0);
    expect(both.outputs['apps-changed']).toBe('production/shop,staging/shop');
    const report = github.on(7)[0]!;
    expect(report).toMatch(/\| shop \| production \| changed \|/);
    expect(report).toMatch(/\| shop \| staging \| changed \|/);
    for (const env of ['production', 'staging']) {
      expect(report).toContain(`<details><summary><b>shop</b> in <b>${env}</b> (changed)`);
      expect(report).toContain(`<code>Deployment shop-${env}/web</code> update`);
    }
    expect(report.match(/\+\s+value: debug/g)).toHaveLength(2);
    for (const text of [r.stdout, r.summary, comment, both.stdout, both.summary, report]) expect(text).not.toContain(SECRET);

    // The input environments limits the report to those (and the apps without environments).
    const limited = await runAction(based, { environments: 'production' });
    expect(limited.code).toBe(0);
    expect(limited.outputs['apps-changed']).toBe('production/shop');
    expect(github.on(7)[0]).toContain('<b>shop</b> in <b>production</b>');
    expect(github.on(7)[0]).not.toContain('staging');
    const typo = await runAction(based, { environments: 'production, stagin' });
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain(
      '::error::input environments: stagin: no application has an environment "stagin"; did you mean "staging"? (environments: production, staging)',
    );
    // The comment says why this head has no report, instead of keeping the last one.
    expect(github.on(7)).toHaveLength(1);
    expect(github.on(7)[0]).toMatch(
      /^<!-- kubemin:report -->\n### kubemin\n\n\*\*Not rendered\*\* \(head [0-9a-f]{40}\): input environments: stagin: no application/,
    );
    expect(github.on(7)[0]).not.toContain('<b>shop</b>');
  });

  it('from a fork: the rendered diff only, and says so', async () => {
    const repo = repository(appYaml('shop', 'ghcr.io/acme/web:1.0'), appYaml('shop', 'ghcr.io/acme/web:1.1'));
    const r = await runAction(repo, { mode: 'diff', kubeconfig: '/nonexistent/kubeconfig' }, { fork: true });
    expect(r.code).toBe(0);
    expect(github.on(7)[0]).toMatch(/pull request from a fork/);
  });
});

describe('the GitHub Action with the test cluster', { timeout: 120_000 }, () => {
  const cluster = testCluster();

  it('adds the live dry-run diff, the same as kubemin diff', async () => {
    const ns = await cluster.newNamespace('action-live');
    const repo = repository(appYaml(ns, 'ghcr.io/acme/web:1.0'), appYaml(ns, 'ghcr.io/acme/web:1.1'));
    // The base is live in the cluster.
    const baseDir = tempDir();
    mkdirSync(join(baseDir, 'shop'));
    writeFileSync(join(baseDir, 'shop', 'kubemin.yaml'), appYaml(ns, 'ghcr.io/acme/web:1.0'));
    expect((await cli(['apply', baseDir, '--kubeconfig', cluster.kubeconfig, '--poll-interval', '200ms'])).code).toBe(0);

    const r = await runAction(repo, { mode: 'diff', kubeconfig: readFileSync(cluster.kubeconfig, 'utf8') });
    expect(r.code).toBe(0);
    const comment = github.on(7)[0]!;
    expect(comment).toContain('In the cluster');
    const diff = await cli(['diff', join(repo.dir, 'apps'), '--kubeconfig', cluster.kubeconfig, '-o', 'markdown']);
    expect(diff.code).toBe(1);
    // Every changed line of kubemin diff is in the comment's live section.
    const changed = diff.stdout.split('\n').filter((l) => /^[-+] /.test(l));
    // The image, and the version label (from the image's tag) of the workload and its pods.
    expect([...changed].sort()).toEqual(
      [
        '-          image: ghcr.io/acme/web:1.0',
        '+          image: ghcr.io/acme/web:1.1',
        '-    app.kubernetes.io/version: "1.0"',
        '+    app.kubernetes.io/version: "1.1"',
        '-        app.kubernetes.io/version: "1.0"',
        '+        app.kubernetes.io/version: "1.1"',
      ].sort(),
    );
    const live = comment.slice(comment.indexOf('In the cluster'));
    for (const line of changed) expect(live).toContain(line);
    expect(live).toContain('0 to create, 1 to update, 0 to delete');
    expect(r.stdout + r.summary + comment).not.toContain(SECRET);
  });

  it('compares each environment in the cluster its context names; one the kubeconfig lacks is said, not compared', async () => {
    const ns = await cluster.newNamespace('action-envs');
    const productionNs = await cluster.newNamespace('action-envs-production');
    const spec = (logLevel: string) => envApp(ns, { logLevel, stagingCluster: 'staging-eu', productionCluster: 'kubemin-test', productionNs });
    const repo = repository(spec('info'), spec('debug'));
    const r = await runAction(repo, { mode: 'diff', kubeconfig: readFileSync(cluster.kubeconfig, 'utf8') });
    expect(r.code).toBe(0);
    const comment = github.on(7)[0]!;
    const live = comment.slice(comment.indexOf('In the cluster'));
    expect(live).toContain(
      '_Not compared with the cluster: application "shop" (environment "staging"): its cluster "staging-eu" is not a context of the kubeconfig',
    );
    expect(live).toMatch(new RegExp(`\\| shop \\| production \\| ${productionNs} \\| [1-9]\\d* \\| 0 \\| 0 \\| 0 \\| 0 \\|`));
    expect(live).toContain(`shop in production: <code>Deployment ${productionNs}/web</code> create`);
    expect(live).not.toContain(`${ns}-staging/`);
    expect(r.outputs['apps-changed']).toBe('production/shop,staging/shop');
    expect(r.stdout + r.summary + comment).not.toContain(SECRET);
  });
});
