/**
 * `kubemin watch` as a child process, as it runs for months: its JSON log lines collected, its
 * resident memory sampled from /proc every second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface DaemonProcess {
  readonly child: ChildProcess;
  /** Everything it wrote (stdout and stderr). */
  text(): string;
  lines(): Array<Record<string, unknown>>;
  /** RSS samples in bytes, one a second, from its start. */
  readonly rss: number[];
  /** SIGTERM, then its exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** VmRSS of a process in bytes, undefined when it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function startDaemon(argv: readonly string[], opts: { cwd: string; sampleMs?: number }): DaemonProcess {
  const [command, ...args] = argv;
  const child = spawn(command!, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout!.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => chunks.push(b.toString()));
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const r = child.pid !== undefined ? rssOf(child.pid) : undefined;
    if (r !== undefined) rss.push(r);
  }, opts.sampleMs ?? 1000);
  let exitCode: number | null | undefined;
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearInterval(sampler);
      exitCode = code;
      resolve(code);
    }),
  );
  const text = (): string => chunks.join('');
  return {
    child,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return { unparsed: l };
          }
        }),
    rss,
    stop: async (graceMs = 60_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await closed;
      clearTimeout(timer);
      return code;
    },
  };
}
