import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleDirError } from '../../src/bundle/bundle-errors.js';
import { reportFailure } from '../../src/cli/report-failure.js';
import { ClusterError } from '../../src/cluster/types.js';
import { KubeconfigError, loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { EXIT, KubeminError } from '../../src/errors/kubemin-error.js';
import { InventoryError } from '../../src/inventory/inventory.js';
import { SpecPathError } from '../../src/files/find-spec-files.js';
import { PluginLoadError, PluginLoadFault } from '../../src/plugins/extension-error.js';
import { PromoteError } from '../../src/promote/promote-error.js';
import { GitError, GitPushError } from '../../src/watch/git/git-error.js';
import { GitRunner } from '../../src/watch/git/git-runner.js';
import { bundleEntry } from '../bundle/bundled-entry.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/** A stack frame of V8 (`    at fn (file:1:2)`). */
const FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe('one error base', () => {
  it('every user-facing error class is a KubeminError, with exit code 2 unless it says otherwise', () => {
    const errors = [
      new GitError('g'),
      new GitPushError(3, 'p'),
      new BundleDirError('b'),
      new PromoteError('p'),
      new InventoryError('i'),
      new KubeconfigError('k'),
      new ClusterError(undefined, 'Forbidden', 'c'),
      new PluginLoadError('l'),
      new PluginLoadFault('kubemin.config', 'f'),
      new SpecPathError('s'),
      new KubeminError('u'),
    ];
    for (const e of errors) {
      expect(e, e.name).toBeInstanceOf(KubeminError);
      expect(e.exitCode, e.name).toBe(EXIT.error);
    }
    expect(new KubeminError('x', { exitCode: EXIT.interrupted }).exitCode).toBe(130);
  });

  it('a wrapped error keeps its cause', () => {
    const cause = new Error('inner');
    expect(new GitError('outer', { cause }).cause).toBe(cause);
    expect(new ClusterError(undefined, 'Other', 'outer', 500, { cause }).cause).toBe(cause);
    expect(new KubeminError('outer').cause).toBeUndefined();
    // A kubeconfig that cannot be read: the file system's error is the cause.
    let thrown: unknown;
    try {
      loadKubeconfig({ kubeconfig: join(tempDir(), 'none') });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KubeconfigError);
    expect(((thrown as KubeconfigError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect('cause' in new KubeminError('outer')).toBe(false);
  });
});

describe('the one formatter (reportFailure)', () => {
  it('a user error: one line with its exit code, no stack; with debug, the stack and its causes', () => {
    const err = new GitError('fetching main: no such remote', { cause: new Error('spawn failed') });
    expect(reportFailure(err, { debug: false })).toEqual({ text: 'kubemin: fetching main: no such remote\n', exitCode: 2 });
    expect(reportFailure(new KubeminError('invalid', { exitCode: EXIT.problems }), { debug: false }).exitCode).toBe(1);
    const debug = reportFailure(err, { debug: true });
    expect(debug.text).toMatch(/^kubemin: fetching main: no such remote\nGitError: fetching main/);
    expect(debug.text).toMatch(FRAME);
    expect(debug.text).toMatch(/\ncaused by: Error: spawn failed\n/);
  });

  it('a failed system call: one line saying what, why and the fix', () => {
    const err = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open', path: '/x/y' });
    expect(reportFailure(err, { debug: false })).toEqual({
      text: 'kubemin: cannot open /x/y: no such file or directory (check the path)\n',
      exitCode: 2,
    });
  });

  it('anything else is a bug: it says so, with its stack and causes', () => {
    const err = new TypeError("Cannot read properties of undefined (reading 'x')", { cause: new RangeError('deeper') });
    const r = reportFailure(err, { debug: false });
    expect(r.exitCode).toBe(2);
    expect(r.text).toMatch(/^kubemin: internal error: Cannot read properties of undefined \(reading 'x'\): a bug in kubemin/);
    expect(r.text).toMatch(FRAME);
    expect(r.text).toMatch(/\ncaused by: RangeError: deeper\n/);
    expect(reportFailure('a string', { debug: false }).text).toMatch(/^kubemin: internal error: a string: a bug in kubemin/);
  });

  it("commander's own errors: already printed, their exit code kept (0 for --help)", () => {
    expect(reportFailure(new CommanderError(0, 'commander.helpDisplayed', ''), { debug: false })).toEqual({ text: '', exitCode: 0 });
    expect(reportFailure(new CommanderError(1, 'commander.unknownOption', 'x'), { debug: false })).toEqual({ text: '', exitCode: 2 });
  });

  it('git that cannot be started: a GitError saying so, the spawn error kept as its cause', async () => {
    const runner = new GitRunner({ gitDir: tempDir(), remoteEnv: {}, secrets: [] });
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      const err = await runner.run({ args: ['status'], what: 'reading the clone' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect((err as GitError).message).toBe('reading the clone: git is not installed, or not on PATH (install git)');
      expect(((err as GitError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('as a user meets them (the CLI as its own process)', () => {
  let kubemin: string;
  beforeAll(async () => {
    kubemin = await bundleEntry('test/helpers/kubemin-process.ts');
  }, 60_000);

  const run = (args: readonly string[], env: Record<string, string> = {}): { code: number | null; stderr: string; stdout: string } => {
    const r = spawnSync(process.execPath, [kubemin, ...args], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', KUBEMIN_DEBUG: '', KUBECONFIG: testCluster().kubeconfig, ...env },
    });
    return { code: r.status, stderr: r.stderr, stdout: r.stdout };
  };

  function gitRepo(): string {
    const dir = tempDir();
    const git = (...args: string[]): void => void spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    cpSync(join(REPO, 'examples/shop'), join(dir, 'shop'), { recursive: true });
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'specs');
    return dir;
  }

  it('a git failure: one line, exit 2, no stack (a path that is no repository; git missing from PATH)', () => {
    const notRepo = run(['watch', '--repo', tempDir(), '--no-leader-election', '--work-dir', join(tempDir(), 'clone')]);
    expect(notRepo.stderr).not.toMatch(FRAME);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/^kubemin: listing branches of .*: .*does not appear to be a git repository.*\n$/);
    const noGit = run(['watch', '--repo', gitRepo(), '--no-leader-election', '--work-dir', join(tempDir(), 'clone')], { PATH: tempDir() });
    expect(noGit.stderr).not.toMatch(FRAME);
    expect(noGit.code).toBe(2);
    expect(noGit.stderr).toMatch(/^kubemin: .*: git is not installed, or not on PATH \(install git\)\n$/);
  });

  it('a --webhook-secret-file that is missing, or a directory: one line naming it, exit 2, no stack', () => {
    const dir = tempDir();
    const missing = run(['watch', '--repo', gitRepo(), '--listen', '127.0.0.1:0', '--webhook-secret-file', join(dir, 'nope')]);
    expect(missing.stderr).not.toMatch(FRAME);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`kubemin watch: --webhook-secret-file cannot open ${join(dir, 'nope')}: no such file or directory (check the path)\n`);
    // A directory opens, so the daemon meets it when it reads the secret: after the clone, before serving.
    mkdirSync(join(dir, 'secret'));
    const directory = run([
      'watch',
      '--repo',
      gitRepo(),
      '--no-leader-election',
      '--work-dir',
      join(dir, 'clone'),
      '--listen',
      '127.0.0.1:0',
      '--webhook-secret-file',
      join(dir, 'secret'),
    ]);
    expect(directory.stderr).not.toMatch(FRAME);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(new RegExp(`kubemin: --webhook-secret-file: cannot read ${join(dir, 'secret')}: it is a directory \\(name a file\\)\\n$`));
  });
});
