import type { ApplyCommit } from '../apply/types.js';
import { spawnGit } from '../watch/git/spawn-git.js';

/**
 * The commit `kubemin apply` applies, for notifications and webhook steps: `--commit`, else CI's
 * (GITHUB_SHA), else the checkout's HEAD (`git` in `cwd`), with its subject and author when git
 * can tell; undefined outside a repository.
 */
export async function commitOf(cwd: string, given: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<ApplyCommit | undefined> {
  const sha = given ?? env.GITHUB_SHA;
  const gitEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const r = await spawnGit({ args: ['log', '-1', '--no-show-signature', '--format=%H%x00%s%x00%an', sha ?? 'HEAD', '--'], cwd, env: gitEnv }).catch(
    () => undefined,
  );
  const [full, subject, author] = r && r.exitCode === 0 ? r.stdout.toString('utf8').trim().split('\0') : [];
  if (full) return { sha: full, ...(subject ? { subject } : {}), ...(author ? { author } : {}) };
  return sha ? { sha } : undefined;
}
