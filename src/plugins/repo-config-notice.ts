import type { SourceFile } from '../load/source.js';
import type { WatchSource } from '../watch/source.js';
import { CONFIG_NAMES } from './load-plugins.js';

/**
 * The plugin configs a revision has where they would apply to its spec files (in the files'
 * directories and above, up to the repository root), as repository paths: the watch daemon
 * ignores them, and says so.
 */
export async function repoPluginConfigs(files: readonly SourceFile[], exists: (path: string) => Promise<boolean>): Promise<string[]> {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').slice(0, -1);
    for (let n = parts.length; n >= 0; n--) dirs.add(parts.slice(0, n).join('/'));
  }
  const candidates = [...dirs].flatMap((d) => CONFIG_NAMES.map((name) => (d ? `${d}/${name}` : name)));
  const found = await Promise.all(candidates.map(async (path) => ((await exists(path).catch(() => false)) ? path : undefined)));
  return found.filter((p): p is string => p !== undefined).sort();
}

/**
 * A watch source that, for each revision it gives the files of, tells `onIgnored` the plugin
 * configs in it (once per revision): the daemon runs only plugins installed with it (`--plugin`),
 * never code from the branch it follows.
 */
export function noticeRepoPluginConfigs(
  source: WatchSource,
  exists: (revision: string, path: string) => Promise<boolean>,
  onIgnored: (revision: string, configs: string[]) => void,
): WatchSource {
  let last: string | undefined;
  return {
    get description() {
      return source.description;
    },
    poll: () => source.poll(),
    files: async (revision) => {
      const files = await source.files(revision);
      if (revision !== last) {
        last = revision;
        const configs = await repoPluginConfigs(files, (path) => exists(revision, path));
        if (configs.length) onIgnored(revision, configs);
      }
      return files;
    },
    referencedFiles: (revision, refs) => source.referencedFiles(revision, refs),
    revisionTime: (revision) => source.revisionTime(revision),
    revisionInfo: (revision) => source.revisionInfo(revision),
    readStatus: (key) => source.readStatus(key),
    statusHistory: (key, limit) => source.statusHistory(key, limit),
    writeStatus: (report) => source.writeStatus(report),
  };
}
