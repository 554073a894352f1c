import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRunner } from '../watch/git/git-runner.js';

/**
 * Runs `fn` on a checkout of `sha` beside the workspace (`git worktree add --detach`), fetching
 * the commit first when the workspace's clone does not have it (a shallow actions/checkout), and
 * removes the checkout afterwards. git runs as the watch daemon runs it: never prompting, no
 * inherited GIT_* variables.
 */
export async function withBaseCheckout<T>(workspace: string, sha: string, fn: (dir: string) => Promise<T>): Promise<T> {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new Error(`the base commit "${sha}" is not a commit id`);
  const git = new GitRunner({ gitDir: join(workspace, '.git'), remoteEnv: {}, secrets: [] });
  const has = await git.tryRun({ args: ['cat-file', '-e', `${sha}^{commit}`], what: `looking for the base commit ${sha}` });
  if (!has.ok) await git.run({ args: ['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', sha], what: `fetching the base commit ${sha}`, remote: true });
  const dir = await mkdtemp(join(tmpdir(), 'kubemin-base-'));
  await git.run({ args: ['worktree', 'add', '--quiet', '--detach', dir, sha], what: `checking out the base commit ${sha}` });
  try {
    return await fn(dir);
  } finally {
    await git.run({ args: ['worktree', 'remove', '--force', dir], what: 'removing the base checkout' }).catch(() => rm(dir, { recursive: true, force: true }));
  }
}
