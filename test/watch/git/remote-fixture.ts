import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '../../helpers/cli.js';

/** git for the test's own repositories: no global config, no inherited GIT_* variables, never prompting. */
export function git(cwd: string, ...args: string[]): string {
  return gitRaw(cwd, ...args).trim();
}

/** `git`, its stdout as is. */
function gitRaw(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k)) env[k] = v;
  Object.assign(env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' });
  return execFileSync('git', ['-c', 'user.name=Seeder', '-c', 'user.email=seeder@example.com', ...args], { cwd, env, encoding: 'utf8' });
}

/** A bare "remote" and a seeding clone that pushes to it; the watched branch is `main`. */
export class RemoteFixture {
  readonly root = tempDir('kubemin-git-');
  readonly remote = join(this.root, 'remote.git');
  readonly seed = join(this.root, 'seed');

  constructor() {
    mkdirSync(this.remote);
    git(this.remote, 'init', '--quiet', '--bare', '--initial-branch=main');
    mkdirSync(this.seed);
    git(this.seed, 'init', '--quiet', '--initial-branch=main');
    git(this.seed, 'remote', 'add', 'origin', this.remote);
  }

  /** A fresh work dir for a GitRepo. */
  workDir(name = 'work'): string {
    return join(this.root, name);
  }

  /** Writes (text) or deletes (null) files in the seeding clone, commits and pushes; returns the sha. */
  commit(message: string, files: Record<string, string | null>, branch = 'main'): string {
    for (const [path, text] of Object.entries(files)) {
      const abs = join(this.seed, path);
      if (text === null) rmSync(abs);
      else {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, text);
      }
    }
    git(this.seed, 'add', '--all');
    git(this.seed, 'commit', '--quiet', '-m', message);
    git(this.seed, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
    return git(this.seed, 'rev-parse', 'HEAD');
  }

  /** As `commit`, on top of the remote's tip (which others, e.g. the daemon's status commits, may have moved). */
  commitOnRemoteTip(message: string, files: Record<string, string | null>, branch = 'main'): string {
    git(this.seed, 'fetch', '--quiet', 'origin', branch);
    git(this.seed, 'reset', '--quiet', '--hard', 'FETCH_HEAD');
    return this.commit(message, files, branch);
  }

  /** A command in the remote. */
  remoteGit(...args: string[]): string {
    return git(this.remote, ...args);
  }

  /** Files of a commit of the remote: path -> text. */
  files(rev: string): Map<string, string> {
    const paths = this.remoteGit('ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean);
    return new Map(paths.map((p) => [p, gitRaw(this.remote, 'cat-file', 'blob', `${rev}:${p}`)]));
  }

  /** Makes every push to the remote fail (a pre-receive hook that exits 1). */
  makeReadOnly(): void {
    const hook = join(this.remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "this remote is read-only" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
  }
}
