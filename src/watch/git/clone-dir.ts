import { mkdir, readdir } from 'node:fs/promises';
import { GitError } from './git-error.js';
import type { GitRunner } from './git-runner.js';
import { parseRemoteUrl } from './remote-url.js';

/**
 * Makes `git` (whose GIT_DIR is the work dir) a bare clone of `url`: a new or empty directory
 * becomes an empty bare repository with the remote `origin` (fetching is left to the caller); a
 * bare repository whose origin is `url` is reused; anything else is an error, and left as it was.
 */
export async function prepareCloneDir(git: GitRunner, workDir: string, url: string): Promise<'created' | 'reused'> {
  await mkdir(workDir, { recursive: true });
  const entries = await readdir(workDir);
  if (entries.length === 0) {
    await git.run({ args: ['init', '--quiet', '--bare'], what: `creating a bare repository in ${workDir}` });
    await git.run({ args: ['config', 'remote.origin.url', url], what: `setting the remote of ${workDir}` });
    return 'created';
  }
  const bare = await git.tryRun({ args: ['rev-parse', '--is-bare-repository'], what: `checking ${workDir}` });
  if (!bare.ok || bare.stdout.toString('utf8').trim() !== 'true') {
    throw new GitError(`${workDir} is neither empty nor a bare git repository`);
  }
  const origin = await git.tryRun({ args: ['config', '--get', 'remote.origin.url'], what: `reading the remote of ${workDir}` });
  const stored = origin.ok ? origin.stdout.toString('utf8').trim() : '';
  if (stored !== url) {
    const shown = stored ? parseRemoteUrl(stored, workDir).url : 'no remote';
    throw new GitError(`${workDir} is a clone of ${shown}, not of ${url}`);
  }
  return 'reused';
}
