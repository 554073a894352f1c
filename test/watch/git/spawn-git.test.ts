import { describe, expect, it } from 'vitest';
import { spawnGit } from '../../../src/watch/git/spawn-git.js';
import { GitError } from '../../../src/watch/git/git-error.js';
import { GitRunner } from '../../../src/watch/git/git-runner.js';
import { tempDir } from '../../helpers/cli.js';
import { git } from './remote-fixture.js';

const env = (): Record<string, string> => ({ PATH: process.env.PATH ?? '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });

describe('spawnGit', () => {
  it('writes the input to stdin and returns all of stdout as bytes, however large', async () => {
    const dir = tempDir('kubemin-spawn-');
    git(dir, 'init', '--quiet', '--bare');
    // More than a pipe's buffer (64 KiB) each way: nothing is lost or cut.
    const big = Buffer.alloc(300_000, 'é');
    const hashed = await spawnGit({ args: ['hash-object', '-w', '--stdin'], cwd: dir, env: { ...env(), GIT_DIR: dir }, input: big });
    expect(hashed.exitCode).toBe(0);
    const oid = hashed.stdout.toString('utf8').trim();
    const read = await spawnGit({ args: ['cat-file', 'blob', oid], cwd: dir, env: { ...env(), GIT_DIR: dir } });
    expect(read.exitCode).toBe(0);
    expect(read.stdout.equals(big)).toBe(true);
  });

  it('resolves a failure with its exit code and stderr, even when git does not read its input', async () => {
    const dir = tempDir('kubemin-spawn-');
    const r = await spawnGit({ args: ['rev-parse', '--verify', 'no-such-ref'], cwd: dir, env: { ...env(), GIT_DIR: dir }, input: Buffer.alloc(1_000_000) });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/not a git repository|Needed a single revision/);
  });

  it('rejects when git cannot be started, and the runner says what it was doing', async () => {
    const dir = tempDir('kubemin-spawn-');
    await expect(spawnGit({ args: ['--version'], cwd: dir, env: { PATH: dir } })).rejects.toMatchObject({ code: 'ENOENT' });
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      const runner = new GitRunner({ gitDir: dir, remoteEnv: {}, secrets: [] });
      await expect(runner.run({ args: ['--version'], what: 'asking git its version' })).rejects.toThrow(GitError);
      await expect(runner.run({ args: ['--version'], what: 'asking git its version' })).rejects.toThrow(
        /^asking git its version: git is not installed, or not on PATH \(install git\)$/,
      );
      // The spawn error is kept as the cause.
      await expect(runner.run({ args: ['--version'], what: 'asking git its version' })).rejects.toMatchObject({ cause: { code: 'ENOENT' } });
    } finally {
      process.env.PATH = saved;
    }
  });
});
