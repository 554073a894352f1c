import { GitError } from './git-error.js';

/**
 * A repo-relative posix path as git stores it: no leading or trailing `/`, no empty, `.` or `..`
 * segment, no newline or NUL (they would break git's line protocols). Throws GitError otherwise.
 */
export function checkRepoPath(path: string): string {
  const parts = path.split('/');
  if (!path || /[\n\0\\]/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new GitError(`not a repo-relative path: ${JSON.stringify(path)}`);
  }
  return path;
}

/** A directory to search: '' (the whole tree) for '', '.', './' or '/'; otherwise a checked path without a trailing '/'. */
export function normaliseDir(dir: string): string {
  const d = dir.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return d === '' || d === '.' ? '' : checkRepoPath(d);
}

/** Whether `path` is `dir` itself or under it ('' holds everything). */
export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** A revision given to a command: never taken for an option. */
export function checkRevision(rev: string): string {
  if (!rev || rev.startsWith('-') || /[\s\0]/.test(rev)) throw new GitError(`not a revision: ${JSON.stringify(rev)}`);
  return rev;
}

/** A branch name git accepts (refs/heads/<name>), never taken for an option. */
export function checkBranchName(name: string): string {
  const bad =
    !name ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.lock') ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names (git check-ref-format)
    /[\x00-\x20~^:?*[\\\x7f]/.test(name) ||
    name.split('/').some((p) => p.startsWith('.'));
  if (bad) throw new GitError(`not a branch name: ${JSON.stringify(name)}`);
  return name;
}
