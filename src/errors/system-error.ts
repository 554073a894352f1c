/**
 * A failed system call (Node's `err.code`, `err.syscall`, `err.path`) said as one line: what kubemin
 * could not do to which path, why, and how to fix it. For the CLI's top-level catch: a full disk or
 * an unreadable file is the environment's problem (exit 2), never a stack trace, never "invalid specs".
 */
export interface SystemErrorLike {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

const REASONS: Record<string, readonly [string, string]> = {
  ENOENT: ['no such file or directory', 'check the path'],
  EACCES: ['permission denied', 'check its permissions, or run kubemin as a user who may use it'],
  EPERM: ['operation not permitted', 'check its permissions and attributes (e.g. immutable), or use another path'],
  ENOSPC: ['no space left on the device', 'free some space, or write somewhere else'],
  EDQUOT: ['the disk quota is exceeded', 'free some space, or write somewhere else'],
  EROFS: ['the file system is read-only', 'write somewhere else'],
  ENOTDIR: ['a part of the path is not a directory', 'check the path'],
  EISDIR: ['it is a directory', 'name a file'],
  EEXIST: ['it already exists', 'move it away, or choose another path'],
  ENOTEMPTY: ['the directory is not empty', 'move its contents away, or choose another path'],
  ELOOP: ['too many levels of symbolic links', 'check the links in the path'],
  ENAMETOOLONG: ['the name is too long', 'use a shorter path'],
  EMFILE: ['too many open files', 'raise the limit (ulimit -n) and try again'],
  ENFILE: ['too many open files in the system', 'try again later'],
  EIO: ['an input/output error', 'check the disk'],
  EBUSY: ['it is busy', 'try again when nothing else uses it'],
  EXDEV: ['it is on another file system', 'use a path on the same file system'],
  ENXIO: ['no such device or address', 'name a regular file or a directory'],
  ENODEV: ['no such device', 'name a regular file or a directory'],
  EINVAL: ['an invalid argument', 'name a regular file or a directory'],
};

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create directory',
  mkdtemp: 'create a directory in',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list',
  opendir: 'list',
  stat: 'read',
  lstat: 'read',
  access: 'use',
  copyfile: 'copy',
  symlink: 'link',
  link: 'link',
  chmod: 'change the mode of',
  fsync: 'write',
  utime: 'write',
  realpath: 'resolve',
  readlink: 'read the link',
};

export function isSystemError(err: unknown): err is Error & SystemErrorLike {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

export function describeSystemError(err: SystemErrorLike): string {
  const [reason, fix] = REASONS[err.code] ?? [err.code, 'check the path and try again'];
  const verb = (err.syscall && VERBS[err.syscall]) ?? err.syscall ?? 'use';
  const where = err.path ? ` ${err.path}${err.dest ? ` to ${err.dest}` : ''}` : '';
  return `cannot ${verb}${where}: ${reason} (${fix})`;
}
