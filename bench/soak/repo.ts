/**
 * The soak's git side: a bare "remote" in a temporary directory that the daemon follows, a seeding
 * clone that pushes the commits, and two faults: the remote unreachable for a while (moved away and
 * back), and pushes of the daemon's status commits refused a number of times (a pre-receive hook).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** git without the user's config, never prompting. */
export function git(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k)) env[k] = v;
  Object.assign(env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' });
  return execFileSync('git', ['-c', 'user.name=Soak', '-c', 'user.email=soak@example.com', ...args], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The email of the daemon's status commits (`--git-author`'s default). */
export const DAEMON_EMAIL = 'kubemin@localhost';

export class SoakRepo {
  readonly remote: string;
  private readonly seed: string;
  private readonly away: string;

  constructor(root: string) {
    this.remote = join(root, 'remote.git');
    this.away = join(root, 'remote.git.away');
    this.seed = join(root, 'seed');
    mkdirSync(this.remote);
    git(this.remote, 'init', '--quiet', '--bare', '--initial-branch=main');
    mkdirSync(this.seed);
    git(this.seed, 'init', '--quiet', '--initial-branch=main');
    git(this.seed, 'remote', 'add', 'origin', this.remote);
  }

  /**
   * Commits `files` on top of the remote's tip and pushes; the daemon's status commits land on
   * the same branch, so a push that lost the race is made again on the new tip. Returns the sha.
   */
  commit(message: string, files: ReadonlyMap<string, string>): string {
    for (let attempt = 1; ; attempt++) {
      try {
        if (git(this.remote, 'branch', '--list', 'main').trim()) {
          git(this.seed, 'fetch', '--quiet', 'origin', 'main');
          git(this.seed, 'reset', '--quiet', '--hard', 'FETCH_HEAD');
        }
        for (const [path, text] of files) {
          mkdirSync(dirname(join(this.seed, path)), { recursive: true });
          writeFileSync(join(this.seed, path), text);
        }
        git(this.seed, 'add', '--all');
        git(this.seed, 'commit', '--quiet', '--allow-empty', '-m', message);
        git(this.seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
        return git(this.seed, 'rev-parse', 'HEAD').trim();
      } catch (err) {
        if (attempt >= 20) throw err;
      }
    }
  }

  /** The remote is gone (as a host that does not answer): moved away until back(). */
  takeAway(): void {
    renameSync(this.remote, this.away);
  }

  back(): void {
    renameSync(this.away, this.remote);
  }

  /** The next `times` pushes of the daemon's status commits are refused; returns how many were, so far. */
  refuseStatusPushes(times: number): () => number {
    const counter = join(this.remote, 'soak-refused');
    writeFileSync(counter, '0');
    const hook = join(this.remote, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      `#!/bin/sh
# Refuses the daemon's pushes ${times} times (the soak test's fault), then lets them through.
while read old new ref; do
  if [ "$(git log -1 --format=%ae "$new")" = "${DAEMON_EMAIL}" ]; then
    n=$(cat soak-refused)
    if [ "$n" -lt ${times} ]; then
      echo $((n + 1)) > soak-refused
      echo "refused by the soak's pre-receive hook ($((n + 1)) of ${times})" >&2
      exit 1
    fi
  fi
done
exit 0
`,
    );
    chmodSync(hook, 0o755);
    return () => (existsSync(counter) ? Number(readFileSync(counter, 'utf8').trim()) : 0);
  }

  /** Removes the hook. */
  acceptPushes(): void {
    rmSync(join(this.remote, 'hooks', 'pre-receive'), { force: true });
  }

  /** Files of the remote's main at a commit: path -> text. */
  file(rev: string, path: string): string | undefined {
    try {
      return git(this.remote, 'cat-file', 'blob', `${rev}:${path}`);
    } catch {
      return undefined;
    }
  }

  /** Commits of main, oldest first: sha, author email, subject. */
  log(): Array<{ sha: string; email: string; subject: string }> {
    return git(this.remote, 'log', '--reverse', '--format=%H%x00%ae%x00%s', 'main')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [sha = '', email = '', subject = ''] = l.split('\0');
        return { sha, email, subject };
      });
  }

  /** What each status commit did to `.kubemin/status/`: the blob ids it wrote (one per commit). */
  statusBlobs(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const text = git(this.remote, 'log', '--reverse', '--format=@%H', '--raw', '--no-abbrev', `--author=${DAEMON_EMAIL}`, 'main', '--', '.kubemin/status');
    let sha = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('@')) sha = line.slice(1);
      else if (line.startsWith(':')) {
        // :100644 100644 <old> <new> M\t<path>
        const [meta = '', path = ''] = line.split('\t');
        const blob = meta.split(' ')[3] ?? '';
        out.set(path, [...(out.get(path) ?? []), `${sha}:${blob}`]);
      }
    }
    return out;
  }

  /** `git log -p` of the status reports: everything the daemon committed. */
  statusHistory(): string {
    return git(this.remote, 'log', '-p', '--format=%B', 'main', '--', '.kubemin');
  }
}
