import { GitError } from './git-error.js';
import type { GitRunner } from './git-runner.js';

/** One entry of `git ls-tree -r -z`. */
export interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly oid: string;
  readonly path: string;
}

/** Every entry under `dir` ('' = all) of a commit's tree, recursively. */
export async function listTree(git: GitRunner, commit: string, dir: string): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...(dir ? [dir] : [])];
  const out = await git.run({ args, what: `listing ${dir || 'the tree'} at ${commit}` });
  return parseLsTree(out.toString('utf8'));
}

/** `<mode> SP <type> SP <oid> TAB <path> NUL`, repeated. */
export function parseLsTree(out: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = ''] = record.slice(0, tab).split(' ');
    entries.push({ mode, type, oid, path: record.slice(tab + 1) });
  }
  return entries;
}

/** An object read by `git cat-file --batch`. */
export interface BatchObject {
  readonly type: string;
  readonly content: Buffer;
}

/**
 * Reads objects (`<oid>`, `<rev>:<path>`) with one `git cat-file --batch`: one result per request,
 * in order, `undefined` for a missing one.
 */
export async function readObjects(git: GitRunner, requests: readonly string[]): Promise<Array<BatchObject | undefined>> {
  if (requests.length === 0) return [];
  if (requests.some((r) => r.includes('\n'))) throw new GitError('an object name cannot hold a newline');
  const out = await git.run({ args: ['cat-file', '--batch'], input: `${requests.join('\n')}\n`, what: `reading ${requests.length} objects` });
  return parseBatch(out, requests.length);
}

/** `<oid> SP <type> SP <size> LF <content> LF`, or `<request> SP missing LF` (or `ambiguous`). */
export function parseBatch(out: Buffer, count: number): Array<BatchObject | undefined> {
  const objects: Array<BatchObject | undefined> = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new GitError(`git cat-file --batch ended after ${i} of ${count} objects`);
    const header = out.toString('utf8', at, eol).split(' ');
    at = eol + 1;
    const last = header[header.length - 1] ?? '';
    if (header.length !== 3 || !/^\d+$/.test(last)) {
      objects.push(undefined);
      continue;
    }
    const size = Number(last);
    objects.push({ type: header[1] ?? '', content: out.subarray(at, at + size) });
    at += size + 1;
  }
  return objects;
}
