import { MAX_REFERENCED_FILE_BYTES, type FileReference, type ReadFiles } from '../load/referenced-files.js';
import type { SourceFile } from '../load/source.js';
import { GitError, type CommitInfo, type GitRepo } from './git/repo.js';
import type { RevisionInfo, WatchSource } from './source.js';
import { emitStatusReport, parseStatusReport, statusCommitMessage, statusKey, statusPath, type StatusReport } from './status-report.js';

/** Commits whose subject and author are kept (the history pages of a few apps); beyond, the least recently asked is forgotten. */
const REMEMBERED_COMMITS = 500;

/**
 * A branch of a git repository (a bare clone, no work tree): revisions are its commits, the specs
 * are read from `path` at each, and status reports are commits on the status branch.
 */
export class GitSource implements WatchSource {
  readonly description: string;
  /** The last revision's commit time: asked for once per app applied, read once. */
  private lastTime: { readonly revision: string; readonly time: Promise<Date> } | undefined;
  /** Full sha → its commit's info (a commit never changes), least recently asked first. */
  private readonly infos = new Map<string, Promise<CommitInfo>>();

  constructor(
    private readonly repo: GitRepo,
    private readonly opts: { readonly url: string; readonly branch: string; readonly path: string },
  ) {
    this.description = `${opts.url}#${opts.branch}${opts.path ? `:${opts.path}` : ''}`;
  }

  poll(): Promise<string> {
    return this.repo.fetch();
  }

  files(revision: string): Promise<SourceFile[]> {
    return this.repo.readSpecFiles(revision, this.opts.path);
  }

  referencedFiles(revision: string, refs: readonly FileReference[]): Promise<ReadFiles> {
    return this.repo.readFiles(revision, [...new Set(refs.map((r) => r.path))], MAX_REFERENCED_FILE_BYTES);
  }

  async revisionTime(revision: string): Promise<Date | undefined> {
    if (this.lastTime?.revision !== revision) {
      const time = this.repo.commitInfo(revision).then((info) => info.time);
      this.lastTime = { revision, time };
      // A failure is not remembered: the next call asks git again.
      time.catch(() => {
        if (this.lastTime?.time === time) this.lastTime = undefined;
      });
    }
    return this.lastTime.time;
  }

  /** From the clone (commitInfo), each commit once; undefined for one the clone does not have (or git failing: asked again next time). */
  async revisionInfo(revision: string): Promise<RevisionInfo | undefined> {
    // Only a full id is kept: a branch name or a short id may come to mean another commit.
    const full = /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(revision);
    let info = full ? this.infos.get(revision) : undefined;
    if (info) this.infos.delete(revision);
    else info = this.repo.commitInfo(revision);
    if (full) {
      this.infos.set(revision, info);
      if (this.infos.size > REMEMBERED_COMMITS) this.infos.delete(this.infos.keys().next().value!);
    }
    try {
      return await info;
    } catch (err) {
      if (this.infos.get(revision) === info) this.infos.delete(revision);
      if (err instanceof GitError) return undefined;
      throw err;
    }
  }

  async readStatus(key: string): Promise<StatusReport | undefined> {
    const tip = await this.repo.statusTip();
    return tip ? parseStatusReport(await this.repo.readFile(tip, statusPath(key))) : undefined;
  }

  /** The versions of the key's report on the status branch: one `git log` of its file, one read of them all. */
  async statusHistory(key: string, limit: number): Promise<StatusReport[]> {
    const tip = await this.repo.statusTip();
    if (!tip) return [];
    const versions = await this.repo.fileHistory(tip, statusPath(key), limit);
    return versions.map((v) => parseStatusReport(v.text)).filter((r): r is StatusReport => r !== undefined);
  }

  async writeStatus(report: StatusReport): Promise<void> {
    await this.repo.commitFiles(new Map([[statusPath(statusKey(report)), emitStatusReport(report)]]), statusCommitMessage(report));
  }
}
