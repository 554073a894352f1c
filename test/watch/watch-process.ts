import { spawn, type ChildProcess } from 'node:child_process';
import { onTestFinished } from 'vitest';

/** `kubemin watch` as its own process (the CLI from source, as bin/kubemin.js runs it), JSON logs collected. */
export interface WatchProcess {
  readonly child: ChildProcess;
  readonly closed: Promise<number | null>;
  /** Everything it wrote. */
  text(): string;
  /** Its log lines, parsed. */
  lines(): Array<Record<string, unknown>>;
  /** The URL of --listen, once it said. */
  url(): string | undefined;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function startWatchProcess(args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): WatchProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/kubemin-process.ts', 'watch', '--log-format', 'json', ...args], {
    env: opts.env ?? process.env,
  });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => void (text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => void (text += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let exited = false;
  void closed.then(() => void (exited = true));
  onTestFinished(async () => {
    if (!exited) child.kill('SIGKILL');
    await closed;
  });
  const lines = (): Array<Record<string, unknown>> =>
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    closed,
    text: () => text,
    lines,
    url: () => lines().find((l) => l.msg === 'listening')?.url as string | undefined,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      return closed;
    },
  };
}

/** Polls `check` every 100 ms until it gives a value; after `timeoutMs`, fails saying what was awaited, with the log. */
export async function until<T>(
  what: string,
  log: () => string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; log:\n${log().slice(-20_000)}`);
}

/** GET a daemon URL: status and body (undefined when it does not answer). */
export async function httpGet(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}
