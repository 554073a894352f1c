import { GitError, redact } from './git-error.js';
import { spawnGit, type GitExit } from './spawn-git.js';

/** One git command: its arguments, what it does (for the error message), and what else it needs. */
export interface GitCommand {
  readonly args: readonly string[];
  /** What was being done, for the error message: "fetching main from https://host/repo.git". */
  readonly what: string;
  /** Written to git's stdin. */
  readonly input?: string | Buffer;
  /** Added to the environment (GIT_INDEX_FILE, GIT_AUTHOR_NAME, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Talks to the remote: gets the credentials' environment. */
  readonly remote?: boolean;
}

export interface GitRunnerOptions {
  /** The bare repository every command runs in (GIT_DIR). */
  readonly gitDir: string;
  /** Environment of commands that talk to the remote (credentials). */
  readonly remoteEnv: Readonly<Record<string, string>>;
  /** Never shown: redacted from every error message. */
  readonly secrets: readonly string[];
}

/** The outcome of a command allowed to fail (`rev-parse --verify`). */
export type GitResult = { readonly ok: true; readonly stdout: Buffer } | { readonly ok: false; readonly exitCode: number; readonly stderr: string };

/** Ambient variables that change what git does (GIT_DIR, GIT_INDEX_FILE, editors, pagers): never inherited. */
const NOT_INHERITED = /^(git_.*|editor|visual|pager|prefix|ssh_askpass)$/i;

/**
 * Runs git in one bare repository, never prompting (GIT_TERMINAL_PROMPT=0, GIT_ASKPASS=echo) and
 * never inheriting GIT_* variables. stdout comes back as bytes. git is spawned directly
 * (spawn-git.ts), not through simple-git: simple-git waits 50 ms more after every command that
 * prints nothing (read-tree, update-index, update-ref, fetch --quiet), about 200 ms of each status
 * commit, and the daemon uses none of its parsers.
 */
export class GitRunner {
  constructor(private readonly opts: GitRunnerOptions) {}

  get secrets(): readonly string[] {
    return this.opts.secrets;
  }

  /** Runs the command; throws GitError (what was done, git's stderr, redacted) when it fails. */
  async run(cmd: GitCommand): Promise<Buffer> {
    const result = await this.tryRun(cmd);
    if (result.ok) return result.stdout;
    throw new GitError(this.redact(`${cmd.what}: ${gitReason(result.stderr) || `git exited with ${result.exitCode}`}`));
  }

  /** Runs the command; its stdout as text without the trailing newline. */
  async text(cmd: GitCommand): Promise<string> {
    return (await this.run(cmd)).toString('utf8').replace(/\n$/, '');
  }

  /** Runs the command and reports a non-zero exit instead of throwing (a failure to start still throws). */
  async tryRun(cmd: GitCommand): Promise<GitResult> {
    const extra: Record<string, string> = {
      GIT_DIR: this.opts.gitDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: 'echo',
      ...(cmd.remote ? this.opts.remoteEnv : {}),
      ...cmd.env,
    };
    const env: Record<string, string> = { ...inheritedEnv(), ...extra };
    const input = cmd.input === undefined ? undefined : Buffer.from(cmd.input);
    let exit: GitExit;
    try {
      exit = await spawnGit({ args: cmd.args, cwd: this.opts.gitDir, env, ...(input ? { input } : {}) });
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      const why = missing ? 'git is not installed, or not on PATH (install git)' : e instanceof Error ? e.message : String(e);
      throw new GitError(this.redact(`${cmd.what}: ${why}`), { cause: e });
    }
    if (exit.exitCode !== 0) return { ok: false, exitCode: exit.exitCode, stderr: exit.stderr };
    return { ok: true, stdout: exit.stdout };
  }

  /** `text` with every secret of this repository replaced by `***`. */
  redact(text: string): string {
    return redact(text, this.opts.secrets);
  }
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !NOT_INHERITED.test(k)) env[k] = v;
  return env;
}

/**
 * git's stderr as one line: its `fatal:` and `error:` lines without the prefix, without the
 * advice every failed fetch prints ("Please make sure you have the correct access rights...").
 */
function gitReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Please make sure you have the correct access rights|and the repository exists\.)/.test(l))
    .map((l) => l.replace(/^(fatal|error): /, ''));
  return [...new Set(lines)].join('; ');
}
