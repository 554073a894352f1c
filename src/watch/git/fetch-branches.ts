import { GitError } from './git-error.js';
import type { GitRunner } from './git-runner.js';

/** Where the clone keeps a remote branch's tip. */
export function trackingRef(branch: string): string {
  return `refs/remotes/origin/${branch}`;
}

/** A remote branch's tip as the clone last saw it: the commit and its tree. */
export interface TrackedTip {
  readonly commit: string;
  readonly tree: string;
}

/** The tips the clone last saw of the remote's branches (one `for-each-ref`), by branch name. */
async function trackedTips(git: GitRunner): Promise<Map<string, TrackedTip>> {
  const prefix = 'refs/remotes/origin/';
  const out = await git.text({ args: ['for-each-ref', '--format=%(objectname) %(tree) %(refname)', prefix], what: 'reading the branches fetched' });
  const tips = new Map<string, TrackedTip>();
  for (const line of out.split('\n')) {
    const [commit, tree, ref] = line.split(' ');
    if (commit && tree && ref?.startsWith(prefix)) tips.set(ref.slice(prefix.length), { commit, tree });
  }
  return tips;
}

/** The tip the clone last saw of a remote branch, undefined when it has none. */
export async function trackedTip(git: GitRunner, branch: string): Promise<TrackedTip | undefined> {
  return (await trackedTips(git)).get(branch);
}

/**
 * Brings the clone's tracking refs of `branches` up to date with the remote: one `ls-remote`, then
 * one `fetch` of the branches that moved (none when nothing did). A branch gone from the remote
 * loses its tracking ref. Returns each branch's tip, undefined for a branch the remote lacks.
 */
export async function fetchBranches(git: GitRunner, url: string, branches: readonly string[]): Promise<Map<string, string | undefined>> {
  const refs = branches.map((b) => `refs/heads/${b}`);
  const listed = await git.text({ args: ['ls-remote', '--refs', 'origin', ...refs], remote: true, what: `listing branches of ${url}` });
  const remote = new Map<string, string>();
  for (const line of listed.split('\n')) {
    const [sha, ref] = line.split('\t');
    if (sha && ref && refs.includes(ref)) remote.set(ref.slice('refs/heads/'.length), sha);
  }
  const refspecs: string[] = [];
  const before = await trackedTips(git);
  for (const b of branches) {
    const want = remote.get(b);
    const have = before.get(b)?.commit;
    if (want === undefined && have !== undefined) {
      await git.run({ args: ['update-ref', '-d', trackingRef(b)], what: `forgetting ${b}, gone from ${url}` });
    } else if (want !== undefined && want !== have) {
      refspecs.push(`+refs/heads/${b}:${trackingRef(b)}`);
    }
  }
  if (refspecs.length) {
    await git.run({
      args: ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', 'origin', ...refspecs],
      remote: true,
      what: `fetching ${branches.join(', ')} from ${url}`,
    });
  }
  const after = refspecs.length ? await trackedTips(git) : before;
  const tips = new Map<string, string | undefined>();
  for (const b of branches) tips.set(b, remote.has(b) ? after.get(b)?.commit : undefined);
  return tips;
}

/** The tip of a branch that must exist. */
export function requireTip(tips: ReadonlyMap<string, string | undefined>, branch: string, url: string): string {
  const tip = tips.get(branch);
  if (tip === undefined) throw new GitError(`branch ${branch} not found at ${url}`);
  return tip;
}
