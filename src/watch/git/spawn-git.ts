import { spawn } from 'node:child_process';

/** One git process: arguments, working directory, the whole environment, and what to write to its stdin. */
export interface SpawnGitOptions {
  readonly args: readonly string[];
  readonly cwd: string;
  /** The process's whole environment (nothing else is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly input?: Buffer;
}

/** How a git process ended: its exit code (-1 when a signal ended it), its stdout as bytes, its stderr as text. */
export interface GitExit {
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs git and resolves once it exited and its stdout and stderr are closed ('close'), so no output
 * is lost and nothing is waited for beyond that. Rejects only when git could not be started (not
 * installed: ENOENT); a non-zero exit resolves, for the caller to judge.
 */
export function spawnGit(opts: SpawnGitOptions): Promise<GitExit> {
  return new Promise<GitExit>((resolve, reject) => {
    const child = spawn('git', [...opts.args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const text = Buffer.concat(stderr).toString('utf8');
      resolve({ exitCode: code ?? -1, stdout: Buffer.concat(stdout), stderr: signal ? `${text}git was ended by ${signal}` : text });
    });
    // git may exit before reading all its input (a failure): its exit code says why, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input);
  });
}
