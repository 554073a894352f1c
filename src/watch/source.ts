import type { FileReference, ReadFiles } from '../load/referenced-files.js';
import type { SourceFile } from '../load/source.js';
import type { CommitInfo } from './git/repo.js';
import type { StatusReport } from './status-report.js';

/** Who made a revision, when, and its subject line (a commit's, for git). */
export type RevisionInfo = CommitInfo;

/**
 * Where the daemon gets specs and keeps status reports: a git repository (git-source.ts) or, for
 * development, a working tree (dir-source.ts).
 */
export interface WatchSource {
  /** A short description for logs, never holding credentials. */
  readonly description: string;
  /** Looks for something new (git fetch); returns the id of the newest revision (a commit sha). */
  poll(): Promise<string>;
  /** The spec files of a revision. */
  files(revision: string): Promise<SourceFile[]>;
  /** The files those specs name (raw manifests), at the same revision. */
  referencedFiles(revision: string, refs: readonly FileReference[]): Promise<ReadFiles>;
  /** When a revision was made (committer time), if known. */
  revisionTime(revision: string): Promise<Date | undefined>;
  /** The subject, author and time of a revision (cached), if known: undefined for one the source cannot tell about. */
  revisionInfo(revision: string): Promise<RevisionInfo | undefined>;
  /** The last status report written under a key (statusKey: `<app>` or `<env>/<app>`), if any. */
  readStatus(key: string): Promise<StatusReport | undefined>;
  /**
   * The last `limit` status reports written under a key, newest first (git: the versions of its
   * file on the status branch; a version that is not a report is skipped, so fewer may come back).
   */
  statusHistory(key: string, limit: number): Promise<StatusReport[]>;
  /** Records one app's status report (git: one commit, pushed; retried inside; throws when it finally failed). */
  writeStatus(report: StatusReport): Promise<void>;
}
