import { MAX_REFERENCED_FILE_BYTES, type FileReference, type ReadFiles } from '../load/referenced-files.js';
import type { SourceFile } from '../load/source.js';
import type { GitRepo } from './git/repo.js';
import type { WatchSource } from './source.js';
import { emitStatusReport, parseStatusReport, statusCommitMessage, statusKey, statusPath, type StatusReport } from './status-report.js';

/**
 * A branch of a git repository (a bare clone, no work tree): revisions are its commits, the specs
 * are read from `path` at each, and status reports are commits on the status branch.
 */
export class GitSource implements WatchSource {
  readonly description: string;
  /** The last revision's commit time: asked for once per app applied, read once. */
  private lastTime: { readonly revision: string; readonly time: Promise<Date> } | undefined;

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

  async readStatus(key: string): Promise<StatusReport | undefined> {
    const tip = await this.repo.statusTip();
    return tip ? parseStatusReport(await this.repo.readFile(tip, statusPath(key))) : undefined;
  }

  async writeStatus(report: StatusReport): Promise<void> {
    await this.repo.commitFiles(new Map([[statusPath(statusKey(report)), emitStatusReport(report)]]), statusCommitMessage(report));
  }
}
