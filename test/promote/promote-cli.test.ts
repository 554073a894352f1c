import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { cli, tempDir } from '../helpers/cli.js';

const SPEC = `# yaml-language-server: $schema=../schemas/kubemin.schema.json
# The books app: one spec, two environments.
apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: books               # names the bundle directory
  namespace: books
spec:
  components:
    - name: api
      type: webservice
      image: registry.example.com/books/api:2.3.0   # the release in production
      replicas: 2
      ports: [{port: 8080}]

    - name: worker          # background jobs
      type: worker
      image: "registry.example.com/books/worker:2.3.0"
    - name: auth
      type: secret
      stringData: {token: base-t0ken-value}
  environments:
    - name: staging         # every merge lands here first
      namespace: books-staging
      components:
        api: {image: registry.example.com/books/api:2.4.0, replicas: 1}   # the release candidate
        worker:
          image: "registry.example.com/books/worker:2.4.0"
    - name: production
      namespace: books-production

      # Production runs more pods.
      components:
        api:
          replicas: 3       # three, for the traffic
        auth:
          stringData: {token: zq9}   # short on purpose
`;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
}

/** A git repository with these files committed. */
function repoWith(files: Record<string, string>): string {
  const dir = tempDir('kubemin-promote-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'spec');
  return dir;
}

/** `git diff`'s hunks (its own headers left out), to compare with what kubemin printed. */
function gitHunks(dir: string): string {
  return git(dir, 'diff', '--no-color', '--no-ext-diff', '-U3')
    .replace(/^(diff --git|index) .*\n/gm, '')
    .replace(/^(@@ [^@]+ @@).*$/gm, '$1');
}

/** The image a Deployment of the app gets in an environment, compiled from the file as it is now. */
function imageIn(dir: string, env: string, deployment: string): unknown {
  const compiled = compile([{ path: 'kubemin.yaml', text: readFileSync(join(dir, 'kubemin.yaml'), 'utf8') }]);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const app = compiled.apps.find((a) => a.environment === env)!;
  const object = app.phases.flatMap((p) => p.objects).find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === deployment)!.object as any;
  return object.spec.template.spec.containers[0].image;
}

const commentLines = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l.includes('#'))
    .map((l) => l.slice(l.indexOf('#')));

describe('kubemin promote (in a git repository)', () => {
  it('writes the source images into the target overrides, in place: git diff shows only those lines, every comment stays', async () => {
    const dir = repoWith({ 'kubemin.yaml': SPEC });
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production'], dir);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0, stderr: expect.not.stringMatching(/ error /) });
    const text = readFileSync(join(dir, 'kubemin.yaml'), 'utf8');
    expect(text).toBe(
      SPEC.replace(
        '          replicas: 3       # three, for the traffic\n',
        '          replicas: 3       # three, for the traffic\n          image: registry.example.com/books/api:2.4.0\n        worker:\n          image: registry.example.com/books/worker:2.4.0\n',
      ),
    );
    for (const comment of commentLines(SPEC)) expect(text).toContain(comment);
    // What kubemin printed is what git sees, but for the secret in the context lines.
    expect(r.stdout).toBe(gitHunks(dir).replace('{token: zq9}', '{token: ***}'));
    expect(r.stdout).toContain('+          image: registry.example.com/books/api:2.4.0\n');
    expect(r.stderr).toContain('api: image registry.example.com/books/api:2.3.0 -> registry.example.com/books/api:2.4.0');
    expect(r.stderr).toContain('promoted 2 field(s) from staging to production: wrote kubemin.yaml');
    expect(imageIn(dir, 'production', 'api')).toBe('registry.example.com/books/api:2.4.0');
    expect(imageIn(dir, 'production', 'worker')).toBe('registry.example.com/books/worker:2.4.0');

    // Once promoted, there is nothing left to promote.
    const again = await cli(['promote', 'books', '--from', 'staging', '--to', 'production'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('nothing to promote from staging to production: kubemin.yaml is unchanged');
    expect(again.stderr).toContain('api: image already registry.example.com/books/api:2.4.0');
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const dir = repoWith({ 'kubemin.yaml': SPEC });
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production', '--dry-run', '--component', 'api'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+          image: registry.example.com/books/api:2.4.0\n');
    expect(r.stdout).not.toContain('worker');
    expect(r.stderr).toContain('dry run: nothing was written');
    expect(readFileSync(join(dir, 'kubemin.yaml'), 'utf8')).toBe(SPEC);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('removes an override that the base makes unneeded, and the override left empty with it', async () => {
    const dir = repoWith({ 'kubemin.yaml': SPEC });
    const r = await cli(['promote', 'books', '--from', 'production', '--to', 'staging', '--fields', 'image'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "worker: image registry.example.com/books/worker:2.4.0 -> registry.example.com/books/worker:2.3.0 (staging's override removed: the base has it)",
    );
    expect(readFileSync(join(dir, 'kubemin.yaml'), 'utf8')).toBe(
      SPEC.replace(
        '        api: {image: registry.example.com/books/api:2.4.0, replicas: 1}   # the release candidate\n        worker:\n          image: "registry.example.com/books/worker:2.4.0"\n',
        '        api: {replicas: 1}   # the release candidate\n',
      ),
    );
    expect(r.stdout).toBe(gitHunks(dir));
    expect(r.stdout.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual(['+        api: {replicas: 1}   # the release candidate']);
  });

  it('an edit that would not compile writes nothing, and says why at its line', async () => {
    const spec = SPEC.replace('      replicas: 2\n', '      replicas: 3\n      traits: {disruptionBudget: {minAvailable: 2}}\n').replace(
      'api: {image: registry.example.com/books/api:2.4.0, replicas: 1}',
      'api: {image: registry.example.com/books/api:2.4.0, replicas: 1, traits: {disruptionBudget: {minAvailable: 0}}}',
    );
    const dir = repoWith({ 'kubemin.yaml': spec });
    expect((await cli(['validate'], dir)).code).toBe(0);
    // Two pods in production with minAvailable 2: no pod could ever be evicted.
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production', '--fields', 'replicas', '--component', 'api'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kubemin\.yaml:\d+:\d+ error disruption-budget-blocks environment "production"/);
    expect(r.stderr).toContain('kubemin.yaml would not compile once promoted (above): nothing was written');
    expect(r.stdout).toContain('-          replicas: 3       # three, for the traffic\n+          replicas: 1       # three, for the traffic\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('never prints a secret value, however short, not even next to an edited line', async () => {
    const dir = repoWith({ 'kubemin.yaml': SPEC });
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production'], dir);
    expect(r.code).toBe(0);
    // The lines after the edit, in the diff's context, hold production's token.
    expect(r.stdout).toContain('\n         auth:\n           stringData: {token: ***}   # short on purpose\n');
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain('zq9');
      expect(out).not.toContain('base-t0ken-value');
    }
    expect(readFileSync(join(dir, 'kubemin.yaml'), 'utf8')).toContain('stringData: {token: zq9}');
    const refused = await cli(['promote', 'books', '--from', 'staging', '--to', 'production', '--fields', 'stringData'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'kubemin: component "auth": stringData holds secret values, which kubemin never copies between environments nor prints: change them in the target environment by hand\n',
    );
  });

  it('edits the right document of a file with several apps, and leaves the others byte for byte', async () => {
    const other =
      '# another app\napiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: shelf, namespace: shelf}   # keep me\nspec:\n  components:\n    - {name: web, type: webservice, image: "shelf:1"}\n';
    const dir = repoWith({ 'apps/all.kubemin.yaml': `${other}---\n${SPEC}---\n${other.replace(/shelf/g, 'desk')}` });
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production', '--component', 'worker'], dir);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('wrote apps/all.kubemin.yaml') });
    const text = readFileSync(join(dir, 'apps/all.kubemin.yaml'), 'utf8');
    expect(text.startsWith(`${other}---\n`)).toBe(true);
    expect(text.endsWith(`---\n${other.replace(/shelf/g, 'desk')}`)).toBe(true);
    expect(r.stdout).toBe(gitHunks(dir).replace('{token: zq9}', '{token: ***}'));
    expect(r.stdout.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['+        worker:', '+          image: registry.example.com/books/worker:2.4.0']);
  });

  it('says which components it leaves out: one disabled in the source is not promoted', async () => {
    const dir = repoWith({
      'kubemin.yaml': SPEC.replace('        worker:\n          image: "registry.example.com/books/worker:2.4.0"\n', '        worker: {disabled: true}\n'),
    });
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production', '--component', 'worker'], dir);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: '' });
    expect(r.stderr).toContain('books: staging -> production\n  worker: not promoted: disabled in staging\n');
    expect(r.stderr).toContain('nothing to promote from staging to production: kubemin.yaml is unchanged');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('replaces the file a symbolic link leads to, atomically, keeping its mode; the link stays', async () => {
    const dir = repoWith({ 'specs/books.yaml': SPEC });
    symlinkSync('specs/books.yaml', join(dir, 'kubemin.yaml'));
    chmodSync(join(dir, 'specs/books.yaml'), 0o640);
    const r = await cli(['promote', 'books', '--from', 'staging', '--to', 'production', '--component', 'api'], dir);
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'kubemin.yaml')).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, 'specs/books.yaml')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'specs/books.yaml'), 'utf8')).toContain('          image: registry.example.com/books/api:2.4.0\n');
    // Nothing else is left behind (no temporary file).
    expect(readdirSync(join(dir, 'specs'))).toEqual(['books.yaml']);
  });

  it('one clear line for a mistake: unknown app, environment, component or field (exit 2)', async () => {
    const dir = repoWith({ 'kubemin.yaml': SPEC });
    const cases: Array<[string[], string]> = [
      [['promote', 'book', '--from', 'staging', '--to', 'production'], 'kubemin: no application "book" under . (did you mean "books"?)\n'],
      [['promote', 'books', '--from', 'stagin', '--to', 'production'], 'kubemin: no environment "stagin" in application "books" (did you mean "staging"?)\n'],
      [['promote', 'books', '--from', 'staging', '--to', 'prod'], 'kubemin: no environment "prod" in application "books" (did you mean "production"?)\n'],
      [
        ['promote', 'books', '--from', 'staging', '--to', 'production', '--component', 'api,wroker'],
        'kubemin: no component "wroker" in application "books" (did you mean "worker"?)\n',
      ],
      [
        ['promote', 'books', '--from', 'staging', '--to', 'production', '--fields', 'image,replica'],
        'kubemin: --fields: no component field "replica" (did you mean "replicas"?)\n',
      ],
      [
        ['promote', 'books', '--from', 'staging', '--to', 'production', '--fields', 'name'],
        'kubemin: --fields "name": name is not promoted: the name says which component it is\n',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, dir);
      expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, code: 2, stderr: message, stdout: '' });
    }
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
