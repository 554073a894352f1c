import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec } from '../../bench/generate.js';
import { writeBundleDir } from '../../src/files/bundle-dir/bundle-dir.js';
import { emitApp, type AppBundle } from '../../src/bundle/emit-bundle.js';
import { readBundleDir } from '../../src/files/bundle-dir/read-bundle-dir.js';
import { nodeBundleFs, type BundleFs } from '../../src/files/bundle-dir/bundle-fs.js';
import { openBundleDir } from '../../src/files/bundle-dir/bundle-session.js';
import { compile } from '../../src/compile.js';
import { bundleEntry } from './bundled-entry.js';

/**
 * kill -9 at every point of a render: a child process renders a multi-app change into a directory
 * that holds an old render and files kubemin did not write, and SIGKILLs itself after N mutating
 * file-system calls. After each kill:
 * - right after it, without recovery, the directory (leaving aside kubemin's staging directory and
 *   lock) is the old bundle until the journal is committed, the new one once the journal is gone,
 *   and mixed only while the journal exists;
 * - once the next command has run (reading the bundle, as `kubemin apply DIR` does), it is exactly
 *   the old tree or exactly the new one: foreign files untouched, no staging, no lock, no journal;
 * - rendering again gives exactly the new tree.
 * Kill points: every one from the commit to the end of the swap, the lock's, and every STRIDE-th of
 * the rest (KUBEMIN_KILL_ALL=1: every one).
 */

const run = promisify(execFile);
/** fsync protects against a power loss, not a kill: skipped where it only costs time. */
const noSync: BundleFs = { ...nodeBundleFs, syncFile: () => undefined, syncDir: () => undefined };
// On tmpfs when there is one: a kill does not depend on the disk, and this test makes thousands of files.
const ROOT = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kubemin-kill-points-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));
const STRIDE = process.env.KUBEMIN_KILL_ALL === '1' ? 1 : 12;
const PARALLEL = 2;

const KUBEMIN_OWN = /^\.kubemin-(staging(\/|$)|render\.lock)/;

/** Every file (path -> text) and directory (path/ -> '') under `dir`: an empty directory left behind counts. */
function snapshot(dir: string, keep: (path: string) => boolean = () => true): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (!keep(path)) continue;
      if (e.isDirectory()) {
        out.set(`${path}/`, '');
        walk(path);
      } else out.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  walk('');
  return out;
}

const visible = (dir: string): Map<string, string> => snapshot(dir, (p) => !KUBEMIN_OWN.test(p));

function bundlesOf(specs: ReadonlyArray<[string, string]>): AppBundle[] {
  const result = compile(specs.map(([path, text]) => ({ path, text })));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.apps.map((app) => emitApp(app));
}

/** 30 apps of 10 objects; then 10 unchanged, 12 changed, 8 removed and 8 added. */
function change(): { before: AppBundle[]; after: AppBundle[] } {
  const name = (i: number): string => `app-${String(i).padStart(2, '0')}`;
  const before: Array<[string, string]> = [];
  const after: Array<[string, string]> = [];
  for (let i = 0; i < 30; i++) before.push([`${name(i)}.kubemin.yaml`, appSpec(i, name(i))]);
  for (let i = 0; i < 22; i++) {
    const spec = i < 10 ? appSpec(i, name(i)) : i % 2 ? appSpec(i, name(i), { webImage: `ghcr.io/acme/web:2.${i}` }) : appSpec(i + 100, name(i));
    after.push([`${name(i)}.kubemin.yaml`, spec]);
  }
  for (let i = 30; i < 38; i++) after.push([`${name(i)}.kubemin.yaml`, appSpec(i, name(i))]);
  return { before: bundlesOf(before), after: bundlesOf(after) };
}

/**
 * Environments: 6 apps in dev, staging and production, and 4 apps without; then staging is gone
 * (its directory too), production's web image changed, a new environment qa, 2 of the other apps
 * removed and 2 added.
 */
function environmentsChange(): { before: AppBundle[]; after: AppBundle[] } {
  const name = (i: number): string => `app-${String(i).padStart(2, '0')}`;
  const withEnvs = (i: number, envs: string[], image?: string): string =>
    appSpec(i, name(i)) +
    `  environments:\n${envs.map((e) => `    - {name: ${e}, namespace: ${name(i)}-${e}${e === 'production' && image ? `, components: {web: {image: "${image}"}}` : ''}}\n`).join('')}`;
  const before: Array<[string, string]> = [];
  const after: Array<[string, string]> = [];
  for (let i = 0; i < 6; i++) {
    before.push([`${name(i)}.kubemin.yaml`, withEnvs(i, ['dev', 'staging', 'production'])]);
    after.push([`${name(i)}.kubemin.yaml`, withEnvs(i, ['dev', 'production', 'qa'], i % 2 ? `ghcr.io/acme/web:3.${i}` : undefined)]);
  }
  for (let i = 6; i < 10; i++) before.push([`${name(i)}.kubemin.yaml`, appSpec(i, name(i))]);
  for (let i = 8; i < 12; i++) after.push([`${name(i)}.kubemin.yaml`, appSpec(i, name(i))]);
  return { before: bundlesOf(before), after: bundlesOf(after) };
}

interface Setup {
  readonly child: string;
  readonly template: string;
  readonly bundlesFile: string;
  readonly oldTree: Map<string, string>;
  readonly newTree: Map<string, string>;
  readonly after: AppBundle[];
  /** The mutating calls of a render that is not killed. */
  readonly calls: string[];
}

const FOREIGN: Record<string, string> = {
  'README.md': 'rendered manifests, do not edit\n',
  'notes/todo.txt': 'mine\n',
  // A plan kubemin did not write (its digest matches nothing): never adopted, so never deleted.
  'legacy.plan.json': '{"kind": "Plan", "app": "legacy", "namespace": "legacy", "source": "elsewhere.yaml:1", "digest": "sha256:0", "phases": []}\n',
  'legacy/keep.yaml': 'kind: ConfigMap\n',
};

async function prepare(opts: { withRecord: boolean; change?: () => { before: AppBundle[]; after: AppBundle[] } }): Promise<Setup> {
  const child = await bundleEntry('test/bundle/kill-child.ts');
  const { before, after } = (opts.change ?? change)();
  const template = join(ROOT, `template-${copies++}`);
  writeBundleDir(template, before);
  if (!opts.withRecord) rmSync(join(template, '.kubemin-bundle.json'));
  for (const [path, text] of Object.entries(FOREIGN)) {
    mkdirSync(join(template, path, '..'), { recursive: true });
    writeFileSync(join(template, path), text);
  }
  const bundlesFile = join(ROOT, `bundles-${copies++}.json`);
  writeFileSync(bundlesFile, JSON.stringify(after));
  const full = await copy(template);
  const { stdout } = await run(process.execPath, [child, 'render', full, bundlesFile, '-1']);
  return { child, template, bundlesFile, oldTree: snapshot(template), newTree: snapshot(full), after, calls: stdout.trim().split('\n') };
}

/** A copy of a directory (`cp -a`: several times faster than cpSync). */
let copies = 0;
async function copy(template: string): Promise<string> {
  const dir = join(ROOT, `copy-${copies++}`);
  await run('cp', ['-a', template, dir]);
  return dir;
}

/** The child, killed before mutating call `n` (its exit is then the signal). */
async function killed(args: string[], n: number): Promise<void> {
  const err = await run(process.execPath, [...args, String(n)]).then(
    () => undefined,
    (e: { signal?: string }) => e,
  );
  expect(err?.signal).toBe('SIGKILL');
}

function killPoints(calls: readonly string[]): number[] {
  const commit = calls.findIndex((c) => c.startsWith('rename ') && c.endsWith('journal.json'));
  const done = calls.findIndex((c) => c.startsWith('unlink ') && c.endsWith('journal.json'));
  expect(commit).toBeGreaterThan(0);
  expect(done).toBeGreaterThan(commit);
  const points = new Set<number>();
  for (let n = 0; n < calls.length; n++) if (n < 6 || (n >= commit - 2 && n <= done + 2) || n % STRIDE === 0 || n === calls.length - 1) points.add(n);
  return [...points];
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** Right after a kill: the old tree, the new one, or (only while the journal exists) anything between. */
type State = 'old' | 'new' | 'committed' | 'mixed';

describe('kill -9 at any point of a render', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await prepare({ withRecord: true });
  }, 60_000);

  it('the test is not vacuous: the change is large and the trees differ', () => {
    expect(setup.calls.length).toBeGreaterThan(400);
    expect(setup.oldTree).not.toEqual(setup.newTree);
    for (const [path, text] of Object.entries(FOREIGN)) {
      expect(setup.oldTree.get(path)).toBe(text);
      expect(setup.newTree.get(path)).toBe(text);
    }
    expect([...setup.newTree.keys()].some((p) => p.startsWith('app-25'))).toBe(false);
    expect([...setup.newTree.keys()].some((p) => p.startsWith('app-35'))).toBe(true);
  });

  it('leaves the old tree or the new one, once the next command has run', async () => {
    const seen: Record<State, number> = { old: 0, new: 0, committed: 0, mixed: 0 };
    const after: Record<'old' | 'new', number> = { old: 0, new: 0 };
    const points = killPoints(setup.calls);
    expect(points.length).toBeGreaterThan(100);
    await inParallel(points, async (n) => {
      const dir = await copy(setup.template);
      await killed([setup.child, 'render', dir, setup.bundlesFile], n);
      // Right after the kill, before any recovery.
      const raw = visible(dir);
      const journal = existsSync(join(dir, '.kubemin-staging/journal.json'));
      const state: State = journal ? 'committed' : sameTree(raw, setup.oldTree) ? 'old' : sameTree(raw, setup.newTree) ? 'new' : 'mixed';
      expect(state, `kill at ${n} (${setup.calls[n]}): a mixed tree without a journal`).not.toBe('mixed');
      seen[state]++;
      // The next command completes or undoes it: every command's first step (lock, recover), or
      // all of reading the bundle (as `kubemin apply DIR` does) for every fourth kill point.
      const full = n % 4 === 0;
      const apps = full ? await readBundleDir(dir, { fs: noSync }) : openBundleDir(noSync, dir, 'read').release();
      const tree = snapshot(dir);
      const isOld = sameTree(tree, setup.oldTree);
      expect(isOld || sameTree(tree, setup.newTree), `kill at ${n} (${setup.calls[n]}): neither old nor new`).toBe(true);
      if (state === 'committed' || state === 'new') expect(isOld, `kill at ${n}: committed, then rolled back`).toBe(false);
      // The apps read are the ones of that tree (and the foreign legacy.plan.json, read as it always was).
      if (apps) expect(apps.length).toBe((isOld ? 30 : setup.after.length) + 1);
      after[isOld ? 'old' : 'new']++;
      // Rendering again gives the new tree.
      if (full) {
        writeBundleDir(dir, setup.after, { fs: noSync });
        expect(sameTree(snapshot(dir), setup.newTree), `kill at ${n}: render again`).toBe(true);
      }
      rmSync(dir, { recursive: true });
    });
    if (STRIDE === 1) console.log(`kill points: ${points.length}; right after the kill: ${JSON.stringify(seen)}; after recovery: ${JSON.stringify(after)}`);
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
    expect(seen.committed).toBeGreaterThan(0);
    expect(after.old + after.new).toBe(points.length);
    expect(after.old).toBeGreaterThan(0);
    expect(after.new).toBeGreaterThan(0);
  }, 120_000);

  it('a kill during the recovery itself is recovered by the next command', async () => {
    const commit = setup.calls.findIndex((c) => c.startsWith('rename ') && c.endsWith('journal.json'));
    const cases = [commit + 1, commit + 20, commit + 50];
    await inParallel(cases, async (n) => {
      const dir = await copy(setup.template);
      await killed([setup.child, 'render', dir, setup.bundlesFile], n);
      const probe = await copy(dir);
      const { stdout } = await run(process.execPath, [setup.child, 'recover', probe, '-1']);
      const recoveryCalls = stdout.trim().split('\n').length;
      expect(recoveryCalls).toBeGreaterThan(10);
      for (const m of [1, Math.floor(recoveryCalls / 3), Math.floor((2 * recoveryCalls) / 3), recoveryCalls - 1]) {
        const again = await copy(dir);
        await killed([setup.child, 'recover', again], m);
        await readBundleDir(again, { fs: noSync });
        expect(sameTree(snapshot(again), setup.newTree), `render killed at ${n}, recovery at ${m}`).toBe(true);
      }
    });
  }, 60_000);
});

describe('kill -9 during the first render into a bundle written before kubemin kept a record', () => {
  it('leaves the old tree or the new one, once the next command has run', async () => {
    const setup = await prepare({ withRecord: false });
    expect(setup.oldTree.has('.kubemin-bundle.json')).toBe(false);
    const points = killPoints(setup.calls).filter((_, i) => i % 4 === 0);
    await inParallel(points, async (n) => {
      const dir = await copy(setup.template);
      await killed([setup.child, 'render', dir, setup.bundlesFile], n);
      await readBundleDir(dir, { fs: noSync });
      const tree = snapshot(dir);
      expect(sameTree(tree, setup.oldTree) || sameTree(tree, setup.newTree), `kill at ${n}`).toBe(true);
      writeBundleDir(dir, setup.after, { fs: noSync });
      expect(sameTree(snapshot(dir), setup.newTree)).toBe(true);
    });
  }, 90_000);
});

describe('kill -9 at any point of a render of environments (DIR/<env>/<app>/)', () => {
  it('leaves the old tree or the new one, once the next command has run; environment directories come and go with it', async () => {
    const setup = await prepare({ withRecord: true, change: environmentsChange });
    // Not vacuous: staging goes, qa comes, and the directories are kubemin's to make and remove.
    expect(setup.oldTree.has('staging/')).toBe(true);
    expect(setup.newTree.has('staging/')).toBe(false);
    expect(setup.newTree.has('qa/app-03.plan.json')).toBe(true);
    expect(setup.calls.some((c) => /^rmdir .*\/staging$/.test(c))).toBe(true);
    expect(setup.calls.some((c) => /^mkdir .*\/qa$/.test(c) && !c.includes('.kubemin-staging'))).toBe(true);
    const points = killPoints(setup.calls);
    const after: Record<'old' | 'new', number> = { old: 0, new: 0 };
    await inParallel(points, async (n) => {
      const dir = await copy(setup.template);
      await killed([setup.child, 'render', dir, setup.bundlesFile], n);
      const raw = visible(dir);
      const journal = existsSync(join(dir, '.kubemin-staging/journal.json'));
      expect(journal || sameTree(raw, setup.oldTree) || sameTree(raw, setup.newTree), `kill at ${n} (${setup.calls[n]}): a mixed tree without a journal`).toBe(
        true,
      );
      const apps = await readBundleDir(dir, { fs: noSync });
      const tree = snapshot(dir);
      const isOld = sameTree(tree, setup.oldTree);
      expect(isOld || sameTree(tree, setup.newTree), `kill at ${n} (${setup.calls[n]}): neither old nor new`).toBe(true);
      // The apps read are that tree's (and the foreign legacy.plan.json), each variant with its environment.
      expect(apps.length).toBe((isOld ? 6 * 3 + 4 : setup.after.length) + 1);
      expect(new Set(apps.flatMap((a) => (a.environment ? [a.environment] : [])))).toEqual(
        new Set(isOld ? ['dev', 'staging', 'production'] : ['dev', 'production', 'qa']),
      );
      after[isOld ? 'old' : 'new']++;
      if (n % 4 === 0) {
        writeBundleDir(dir, setup.after, { fs: noSync });
        expect(sameTree(snapshot(dir), setup.newTree), `kill at ${n}: render again`).toBe(true);
      }
      rmSync(dir, { recursive: true });
    });
    expect(after.old).toBeGreaterThan(0);
    expect(after.new).toBeGreaterThan(0);
  }, 120_000);
});

function sameTree(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
