/**
 * Helpers shared by the bench sections (run.ts, diff.ts, apply.ts, watch.ts): running and timing commands, medians,
 * number formats and plain-text tables. Only node built-ins.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What run.ts gives a section (diff.ts, apply.ts, watch.ts). */
export interface SectionContext {
  /** A temporary directory of the bench (removed by the caller). */
  readonly root: string;
  /** Reports a real error: printed, and the bench exits non-zero at the end. */
  readonly fail: (message: string) => void;
}

/** A command taking longer than this is stopped (reported, not an error). */
export const COMMAND_TIMEOUT_MS = 120_000;

export interface CommandResult {
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  /** Written to the command's standard input (otherwise stdin is /dev/null). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Left alone by killRunningCommands() (a command that must not be cut short). */
  readonly keepOnAbort?: boolean;
}

/** Commands started by runCommand that have not exited yet (for Ctrl-C). */
const running = new Set<ChildProcess>();

/** Kills (by pid, SIGTERM) the commands still running, for a signal handler about to exit. */
export function killRunningCommands(): void {
  for (const child of running) child.kill('SIGTERM');
  running.clear();
}

/** Runs a command to completion, timing spawn to exit, with stdout and stderr collected. */
export function runCommand(cmd: string, args: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS, opts: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, {
      stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    if (!opts.keepOnAbort) running.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // the command exited before reading all of its input: its exit code tells why
      });
      child.stdin.end(opts.input);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({
        ms: performance.now() - start,
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------- numbers and tables

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function countMatches(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

export function fmtMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return fmtInt(ms);
}

export function fmtInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** For a ratio other / kubemin: "12.3x faster" or "2.0x slower" (from kubemin's side). */
export function fmtRatio(ratio: number): string {
  return ratio >= 1 ? `${ratio.toFixed(1)}x faster` : `${(1 / ratio).toFixed(1)}x slower`;
}

export function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = head.map((_, i) => rows.every((r) => /^[-\d.,]+$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    '  ' +
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
