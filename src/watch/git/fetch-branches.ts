import { GitError } from './git-error.js';
import type { GitRunner } from './git-runner.js';

/** Where the clone keeps a remote branch's tip. */
export function trackingRef(branch: string): string {
  return `refs/remotes/origin/${branch}`;
}

/** The tip the clone last saw of a remote branch, undefined when it has none. */
export async function trackedTip(git: GitRunner, branch: string): Promise<string | undefined> {
  const r = await git.tryRun({ args: ['rev-parse', '--verify', '--quiet', `${trackingRef(branch)}^{commit}`], what: `reading ${branch}` });
  return r.ok ? r.stdout.toString('utf8').trim() : undefined;
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
  for (const b of branches) {
    const want = remote.get(b);
    const have = await trackedTip(git, b);
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
  const tips = new Map<string, string | undefined>();
  for (const b of branches) tips.set(b, remote.has(b) ? await trackedTip(git, b) : undefined);
  return tips;
}

/** The tip of a branch that must exist. */
export function requireTip(tips: ReadonlyMap<string, string | undefined>, branch: string, url: string): string {
  const tip = tips.get(branch);
  if (tip === undefined) throw new GitError(`branch ${branch} not found at ${url}`);
  return tip;
}
