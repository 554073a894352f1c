import { resolve } from 'node:path';
import { isSpecFileName } from '../../files/find-spec-files.js';
import { BatchReader } from './batch-reader.js';
import { buildCommit, writeBlobs, type GitIdentity } from './build-commit.js';
import { prepareCloneDir } from './clone-dir.js';
import { resolveCredentials, type GitAuth } from './credentials.js';
import { fetchBranches, requireTip, trackedTip, trackingRef, type TrackedTip } from './fetch-branches.js';
import { GitError } from './git-error.js';
import { GitRunner } from './git-runner.js';
import { listTree, readObjects } from './read-objects.js';
import { parseRemoteUrl } from './remote-url.js';
import { checkBranchName, checkRepoPath, checkRevision, isUnder, normaliseDir } from './repo-paths.js';
import { retry, type AttemptResult } from './retry.js';
import { SerialQueue } from './serial-queue.js';

export type { GitAuth } from './credentials.js';
export { GitError, GitPushError } from './git-error.js';

export interface GitRepoOptions {
  /** https://..., ssh://..., git@host:path, or a local path / file://. An https URL's userinfo is taken as the token and never stored. */
  readonly url: string;
  /** The watched branch. */
  readonly branch: string;
  /** Where the local bare clone lives (created if missing, reused if it is a clone of the same url). */
  readonly workDir: string;
  /** Where status commits go (default: the watched branch); created from the watched branch's tip if missing. */
  readonly statusBranch?: string;
  readonly author: GitIdentity;
  readonly auth?: GitAuth;
  /** Default 5. */
  readonly pushAttempts?: number;
  /** First retry delay, doubled each time, with jitter (default 200). */
  readonly backoffMs?: number;
}

export interface CommitInfo {
  readonly subject: string;
  readonly authorName: string;
  readonly authorEmail: string;
  /** When the commit was made (committer date). */
  readonly time: Date;
}

/**
 * A bare clone following one branch of a remote: reads specs at any commit without a checkout, and
 * pushes status commits built without a work tree. Fetches and commits run one at a time.
 */
export class GitRepo {
  private readonly queue = new SerialQueue();
  private readonly statusBranch: string;
  private readonly reader: BatchReader;
  /** Full commit ids already verified (commits never change): no `rev-parse` for them again. */
  private readonly commits = new Set<string>();

  private constructor(
    private readonly git: GitRunner,
    /** The remote URL, without credentials. */
    readonly url: string,
    private readonly opts: GitRepoOptions,
  ) {
    this.statusBranch = opts.statusBranch ?? opts.branch;
    this.reader = new BatchReader(git);
  }

  /** Creates (git init --bare, then fetch) or reuses the bare clone in `workDir`, and fetches. */
  static async open(opts: GitRepoOptions): Promise<GitRepo> {
    checkBranchName(opts.branch);
    if (opts.statusBranch !== undefined) checkBranchName(opts.statusBranch);
    const remote = parseRemoteUrl(opts.url);
    const credentials = await resolveCredentials(remote, opts.auth);
    const workDir = resolve(opts.workDir);
    const git = new GitRunner({ gitDir: workDir, ...credentials });
    await prepareCloneDir(git, workDir, remote.url);
    const repo = new GitRepo(git, remote.url, opts);
    await repo.fetch();
    return repo;
  }

  /** Fetches the watched branch (and the status branch); returns the watched branch's tip sha. */
  fetch(): Promise<string> {
    return this.queue.run(() => this.fetchNow());
  }

  /** The status branch's tip as last fetched or pushed; undefined while the branch does not exist. */
  async statusTip(): Promise<string | undefined> {
    return (await trackedTip(this.git, this.statusBranch))?.commit;
  }

  /** Spec files (kubemin.yaml, *.kubemin.yaml) under `dir` ('' or '.' = all) at `sha`, sorted by path. */
  async readSpecFiles(sha: string, dir: string): Promise<Array<{ path: string; text: string }>> {
    const under = normaliseDir(dir);
    const entries = (await listTree(this.git, await this.commit(sha), under)).filter(
      (e) => e.type === 'blob' && e.mode !== '120000' && isUnder(e.path, under) && isSpecFileName(e.path.slice(e.path.lastIndexOf('/') + 1)),
    );
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const objects = await readObjects(
      this.git,
      entries.map((e) => e.oid),
    );
    return entries.map((e, i) => {
      const object = objects[i];
      if (!object) throw new GitError(`${e.path} at ${sha}: object ${e.oid} is missing`);
      return { path: e.path, text: object.content.toString('utf8') };
    });
  }

  /**
   * Files that specs name (raw manifests), at `sha`: the text of each regular file, or why there
   * is none (outside the repository, missing, a symbolic link, too large). Paths are repo-relative.
   */
  async readFiles(sha: string, paths: readonly string[], maxBytes: number): Promise<Map<string, { text: string } | { error: string }>> {
    const out = new Map<string, { text: string } | { error: string }>();
    const commit = await this.commit(sha);
    const inside = paths.filter((p) => {
      const ok = !/[\n\0\\]/.test(p) && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
      if (!ok) out.set(p, { error: 'lies outside the repository' });
      return ok;
    });
    const entries = new Map<string, { mode: string; type: string; oid: string }>();
    for (const p of inside) {
      const [entry] = await listTree(this.git, commit, p);
      if (entry) entries.set(p, entry.path === p ? entry : { mode: '040000', type: 'tree', oid: '' });
    }
    const blobs = inside.filter((p) => entries.get(p)?.type === 'blob' && entries.get(p)?.mode !== '120000');
    const objects = await readObjects(
      this.git,
      blobs.map((p) => entries.get(p)!.oid),
    );
    for (const p of inside) {
      const e = entries.get(p);
      if (!e) out.set(p, { error: `no such file at ${sha.slice(0, 12)}` });
      else if (e.mode === '120000') out.set(p, { error: 'is a symbolic link: it is not followed' });
      else if (e.type !== 'blob') out.set(p, { error: 'is a directory, not a file' });
    }
    blobs.forEach((p, i) => {
      const content = objects[i]?.content;
      if (!content) out.set(p, { error: `no such file at ${sha.slice(0, 12)}` });
      else if (content.length > maxBytes) out.set(p, { error: `is ${content.length} bytes, over the limit of ${maxBytes}: split it into several files` });
      else out.set(p, { text: content.toString('utf8') });
    });
    return out;
  }

  /** One file at a commit, undefined if absent (or not a file). Reads asked for at once share one git process. */
  async readFile(sha: string, path: string): Promise<string | undefined> {
    const object = await this.reader.read(`${await this.commit(sha)}:${checkRepoPath(path)}`);
    return object?.type === 'blob' ? object.content.toString('utf8') : undefined;
  }

  /**
   * The last `limit` versions of one file in the history of `sha`, newest first: one `git log` of
   * the commits that changed it, then one `git cat-file --batch` for its text at each (undefined
   * where a commit deleted it). The path is taken literally (no glob, no pathspec magic).
   */
  async fileHistory(sha: string, path: string, limit: number): Promise<Array<{ commit: string; text: string | undefined }>> {
    const file = checkRepoPath(path);
    const n = Math.min(Math.floor(limit), MAX_VERSIONS);
    if (!(n >= 1)) return [];
    const args = ['--literal-pathspecs', 'log', '--no-show-signature', '--no-renames', '--format=%H', `--max-count=${n}`, await this.commit(sha), '--', file];
    const commits = (await this.git.text({ args, what: `listing the commits of ${file}` })).split('\n').filter(Boolean);
    const objects = await readObjects(
      this.git,
      commits.map((c) => `${c}:${file}`),
    );
    return commits.map((commit, i) => {
      const object = objects[i];
      return { commit, text: object?.type === 'blob' ? object.content.toString('utf8') : undefined };
    });
  }

  /** Files changed between two commits (git diff --name-only), sorted. */
  async changedPaths(from: string, to: string): Promise<string[]> {
    const [a, b] = [await this.commit(from), await this.commit(to)];
    const out = await this.git.run({ args: ['diff', '--name-only', '-z', '--no-renames', a, b, '--'], what: `comparing ${from} and ${to}` });
    return out.toString('utf8').split('\0').filter(Boolean).sort();
  }

  /** Subject, author and committer date of a commit (to tell status commits apart). */
  async commitInfo(sha: string): Promise<CommitInfo> {
    const args = ['show', '-s', '--no-show-signature', '--format=%s%x00%an%x00%ae%x00%ct', await this.commit(sha), '--'];
    const [subject = '', authorName = '', authorEmail = '', time = '0'] = (await this.git.text({ args, what: `reading commit ${sha}` })).split('\0');
    return { subject, authorName, authorEmail, time: new Date(Number(time) * 1000) };
  }

  /**
   * Commits `files` (repo-relative path -> text) with `message` on top of the status branch's remote
   * tip and pushes it. A rejected push (the branch moved, or anything else) is retried on top of a
   * fresh fetch, up to `pushAttempts` with backoff; then GitPushError. A commit that would change
   * nothing is not made: the tip is returned.
   */
  commitFiles(files: ReadonlyMap<string, string>, message: string): Promise<{ sha: string; attempts: number }> {
    return this.queue.run(async () => {
      for (const path of files.keys()) checkRepoPath(path);
      const blobs = await writeBlobs(this.git, files);
      const branch = this.statusBranch;
      const { value: sha, attempts } = await retry(
        { attempts: this.opts.pushAttempts ?? 5, backoffMs: this.opts.backoffMs ?? 200, what: `pushing a commit to ${branch} of ${this.url}` },
        async (n): Promise<AttemptResult<string>> => {
          if (n > 1) {
            const failed = await this.fetchNow().then(() => undefined, retryable);
            if (failed) return { ok: false, error: failed };
          }
          const parent = (await trackedTip(this.git, branch)) ?? (await this.watchedTip());
          const commit = await buildCommit(this.git, { parent, blobs, message, identity: this.opts.author });
          if (commit === undefined) return { ok: true, value: parent.commit };
          // With the fetch refspec given, a push that succeeds also moves the tracking ref: no update-ref after it.
          const pushed = await this.git.tryRun({
            args: [
              '-c',
              'advice.pushUpdateRejected=false',
              '-c',
              `remote.origin.fetch=+refs/heads/*:${trackingRef('*')}`,
              'push',
              '--no-verify',
              'origin',
              `${commit}:refs/heads/${branch}`,
            ],
            remote: true,
            what: `pushing to ${branch}`,
          });
          if (!pushed.ok) {
            const why = pushed.stderr.trim() || `git exited with ${pushed.exitCode}`;
            return { ok: false, error: new GitError(this.git.redact(`pushing to ${branch}: ${why}`)) };
          }
          return { ok: true, value: commit };
        },
      );
      return { sha, attempts };
    });
  }

  private async fetchNow(): Promise<string> {
    const branches = this.statusBranch === this.opts.branch ? [this.opts.branch] : [this.opts.branch, this.statusBranch];
    const tips = await fetchBranches(this.git, this.url, branches);
    return requireTip(tips, this.opts.branch, this.url);
  }

  private async watchedTip(): Promise<TrackedTip> {
    const tip = await trackedTip(this.git, this.opts.branch);
    if (tip === undefined) throw new GitError(`branch ${this.opts.branch} of ${this.url} has not been fetched`);
    return tip;
  }

  /** The full sha of a commit, or GitError. */
  private async commit(rev: string): Promise<string> {
    if (this.commits.has(rev)) return rev;
    const r = await this.git.tryRun({ args: ['rev-parse', '--verify', '--quiet', `${checkRevision(rev)}^{commit}`], what: `finding ${rev}` });
    if (!r.ok) throw new GitError(`no commit ${rev} in the clone of ${this.url}`);
    const sha = r.stdout.toString('utf8').trim();
    // Only a full id is remembered (a branch name or a short id may come to mean another commit), and only a few.
    if (sha === rev) {
      if (this.commits.size >= MAX_KNOWN_COMMITS) this.commits.clear();
      this.commits.add(sha);
    }
    return sha;
  }
}

/** The most versions fileHistory reads at once (a limit of Infinity means this many). */
const MAX_VERSIONS = 10_000;

/** Commit ids remembered as verified; beyond, the set starts again (the daemon asks about a few at a time). */
const MAX_KNOWN_COMMITS = 64;

/** A git failure is worth another attempt; anything else is a bug, thrown. */
function retryable(e: unknown): GitError {
  if (e instanceof GitError) return e;
  throw e;
}
