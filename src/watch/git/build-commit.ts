import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitRunner } from './git-runner.js';

/** Who makes status commits: author and committer. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

/** Writes each file's text as a blob; path -> blob id. Done once per commitFiles, reused by every attempt. */
export async function writeBlobs(git: GitRunner, files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  for (const [path, text] of files) {
    blobs.set(path, await git.text({ args: ['hash-object', '-w', '--stdin'], input: text, what: `writing ${path}` }));
  }
  return blobs;
}

export interface BuildCommitOptions {
  /** The parent commit and its tree: that tree, with `blobs` put in, is the new tree. */
  readonly parent: { readonly commit: string; readonly tree: string };
  readonly blobs: ReadonlyMap<string, string>;
  readonly message: string;
  readonly identity: GitIdentity;
}

/**
 * Makes a commit on top of `parent` that changes exactly `blobs`, without a work tree and without
 * the repository's index (a temporary GIT_INDEX_FILE). Returns undefined when the tree would not change.
 */
export async function buildCommit(git: GitRunner, opts: BuildCommitOptions): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'kubemin-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    const { commit: parent, tree: parentTree } = opts.parent;
    await git.run({ args: ['read-tree', parentTree], env, what: `reading the tree of ${parent}` });
    const cacheinfo = [...opts.blobs].flatMap(([path, blob]) => ['--cacheinfo', `100644,${blob},${path}`]);
    if (cacheinfo.length) await git.run({ args: ['update-index', '--add', ...cacheinfo], env, what: 'adding files to the index' });
    const tree = await git.text({ args: ['write-tree'], env, what: 'writing the tree' });
    if (tree === parentTree) return undefined;
    const { name, email } = opts.identity;
    return await git.text({
      args: ['commit-tree', '--no-gpg-sign', tree, '-p', parent, '-F', '-'],
      input: opts.message.endsWith('\n') ? opts.message : `${opts.message}\n`,
      env: { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email },
      what: 'writing the commit',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
