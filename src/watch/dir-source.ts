import { watch } from 'chokidar';
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { isSpecFileName, readSpecFiles } from '../files/find-spec-files.js';
import { readReferencedFiles } from '../files/read-referenced-files.js';
import { referencedFiles, type ReadFiles } from '../load/referenced-files.js';
import { builtinRegistry } from '../plugins/builtin.js';
import type { Registry } from '../plugins/registry.js';
import type { SourceFile } from '../load/source.js';
import type { RevisionInfo, WatchSource } from './source.js';
import { statusKey, type StatusReport } from './status-report.js';

/** Status reports kept per key; beyond, the oldest is forgotten. */
const REMEMBERED_REPORTS = 50;

/**
 * Local mode (`kubemin watch --dir .`): the specs of a working tree, for development. A revision
 * is the hash of the spec files' paths and texts, and of the files they name (k8s-objects);
 * status reports are kept in memory for this run only (the last REMEMBERED_REPORTS of each app),
 * for the web view's history.
 */
export class DirSource implements WatchSource {
  readonly description: string;
  private readonly seen = new Map<string, { files: SourceFile[]; named: ReadFiles }>();
  /** Absolute paths of the files the specs name (k8s-objects): a save of one is a change too. */
  private named = new Set<string>();
  /** The reports written during this run, per key, oldest first. */
  private readonly reports = new Map<string, StatusReport[]>();

  /** `registry`: the daemon's tables, whose component types say which files a spec names. */
  constructor(
    private readonly dir: string,
    private readonly registry: Registry = builtinRegistry,
  ) {
    this.description = `directory ${dir}`;
  }

  async poll(): Promise<string> {
    const files = await readSpecFiles([this.dir]);
    // The files the specs name are part of the revision: a changed manifest is a new one.
    const refs = referencedFiles(files, () => this.registry.componentTypes);
    const named = await readReferencedFiles(refs, { cwd: process.cwd(), paths: [this.dir] });
    const hash = createHash('sha256');
    for (const f of files) hash.update(f.path).update('\0').update(f.text).update('\0');
    for (const [path, read] of [...named].sort(([a], [b]) => (a < b ? -1 : 1)))
      hash
        .update(path)
        .update('\0')
        .update('text' in read ? read.text : `!${read.error}`)
        .update('\0');
    const revision = `local-${hash.digest('hex').slice(0, 12)}`;
    this.seen.clear();
    this.seen.set(revision, { files, named });
    this.named = new Set(refs.map((r) => resolve(r.path)));
    return revision;
  }

  async files(revision: string): Promise<SourceFile[]> {
    return this.at(revision).files;
  }

  /** As read at the revision's poll, with the spec files. */
  async referencedFiles(revision: string): Promise<ReadFiles> {
    return this.at(revision).named;
  }

  private at(revision: string): { files: SourceFile[]; named: ReadFiles } {
    const seen = this.seen.get(revision);
    if (!seen) throw new Error(`revision ${revision} of ${this.dir} is gone (the files changed again)`);
    return seen;
  }

  async revisionTime(): Promise<Date | undefined> {
    return undefined;
  }

  /** A working tree's revision is no commit: nothing to tell. */
  async revisionInfo(): Promise<RevisionInfo | undefined> {
    return undefined;
  }

  async readStatus(key: string): Promise<StatusReport | undefined> {
    return this.reports.get(key)?.at(-1);
  }

  async statusHistory(key: string, limit: number): Promise<StatusReport[]> {
    const n = Math.floor(limit);
    return n >= 1 ? (this.reports.get(key) ?? []).slice(-n).reverse() : [];
  }

  /** Kept in memory for this run (the daemon's log says the same): nothing is written to the tree. */
  async writeStatus(report: StatusReport): Promise<void> {
    const key = statusKey(report);
    const kept = this.reports.get(key) ?? [];
    kept.push(report);
    if (kept.length > REMEMBERED_REPORTS) kept.splice(0, kept.length - REMEMBERED_REPORTS);
    this.reports.set(key, kept);
  }

  /** Calls `onChange` once a burst of saves to spec files has settled for `debounceMs`. */
  watch(onChange: () => void, debounceMs = 300): { ready: Promise<void>; close(): Promise<void> } {
    let timer: NodeJS.Timeout | undefined;
    const fire = (path: string): void => {
      if (!isSpecFileName(basename(path)) && !this.named.has(resolve(path))) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    };
    const watcher = watch(resolve(this.dir), {
      ignoreInitial: true,
      ignored: (path) => /(^|[/\\])(\.git|node_modules)([/\\]|$)/.test(path),
      awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 },
    });
    watcher.on('add', fire).on('change', fire).on('unlink', fire);
    return {
      ready: new Promise<void>((resolve) => watcher.once('ready', () => resolve())),
      close: async () => {
        clearTimeout(timer);
        await watcher.close();
      },
    };
  }
}
