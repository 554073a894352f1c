import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GitError } from './git-error.js';
import type { RemoteUrl } from './remote-url.js';

/** How git authenticates to the remote. */
export interface GitAuth {
  /** An https token: read from this environment variable or file; sent as an http.extraHeader (Authorization: Basic base64("x-access-token:<token>")), never in the URL, never logged. */
  readonly tokenEnv?: string;
  readonly tokenFile?: string;
  /** An ssh private key file: GIT_SSH_COMMAND="ssh -i <file> -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new". */
  readonly sshKeyFile?: string;
}

/** What commands that reach the remote add to their environment, and what must never be shown. */
export interface GitCredentials {
  readonly remoteEnv: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

/**
 * The token (from `auth.tokenEnv`, else `auth.tokenFile`, else the URL's userinfo) becomes an
 * `Authorization` header passed through GIT_CONFIG_* variables, so it is in no argument list and in
 * no config file. An ssh key becomes GIT_SSH_COMMAND (with BatchMode, so ssh never prompts either).
 */
export async function resolveCredentials(remote: RemoteUrl, auth: GitAuth = {}): Promise<GitCredentials> {
  const token = (await readToken(auth)) ?? remote.token;
  const env: Record<string, string> = {};
  const secrets = [...remote.secrets];
  if (token !== undefined) {
    if (remote.transport !== 'http') throw new GitError(`a token is only sent to http(s) remotes, not to ${remote.url}`);
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    Object.assign(env, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
    secrets.push(token, basic, encodeURIComponent(token));
  }
  if (auth.sshKeyFile !== undefined) {
    const key = shellQuote(resolve(auth.sshKeyFile));
    env.GIT_SSH_COMMAND = `ssh -i ${key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o BatchMode=yes`;
  }
  return { remoteEnv: env, secrets };
}

async function readToken(auth: GitAuth): Promise<string | undefined> {
  if (auth.tokenEnv !== undefined) {
    const value = process.env[auth.tokenEnv]?.trim();
    if (!value) throw new GitError(`the token variable ${auth.tokenEnv} is not set`);
    return value;
  }
  if (auth.tokenFile !== undefined) {
    const value = await readFile(auth.tokenFile, 'utf8').then(
      (text) => text.trim(),
      (e: NodeJS.ErrnoException) => {
        throw new GitError(`cannot read the token file ${auth.tokenFile}: ${e.code ?? 'error'}`, { cause: e });
      },
    );
    if (!value) throw new GitError(`the token file ${auth.tokenFile} is empty`);
    return value;
  }
  return undefined;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
