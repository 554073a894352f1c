import { watchRepo, type WatchRunOptions } from '../../src/operations/watch.js';
import type { WatchEvent } from '../../src/watch/daemon.js';
import type { RemoteFixture } from './git/remote-fixture.js';

/** `kubemin watch` running in this process, as the daemon tests drive it. */
export interface TestDaemon {
  readonly events: WatchEvent[];
  logs(): string;
  /** The web server's URL once it listens (`listen`); rejected when the daemon stops before. */
  readonly url: Promise<string>;
  /** Stops it (as SIGTERM does) and waits until it has. */
  stop(): Promise<void>;
}

/**
 * `kubemin watch` in this process on a fixture's remote: branch main, path apps/, no leader
 * election, only the first fetch and the webhook starting rounds (an interval of an hour), drift
 * reported; `overrides` for the rest. The caller stops it (onTestFinished(d.stop), or afterAll).
 */
export function runDaemon(fx: RemoteFixture, kubeconfig: string, overrides: Partial<WatchRunOptions> = {}): TestDaemon {
  const stop = new AbortController();
  const events: WatchEvent[] = [];
  let logs = '';
  let listening: (url: string) => void = () => undefined;
  const listened = new Promise<string>((resolve) => (listening = resolve));
  const done = watchRepo({
    repo: fx.remote,
    workDir: fx.workDir('daemon'),
    branch: 'main',
    path: 'apps',
    author: { name: 'kubemin', email: 'kubemin@localhost' },
    auth: {},
    intervalMs: 3_600_000,
    logFormat: 'text',
    drift: 'report',
    prune: true,
    appConcurrency: 2,
    leaderElection: false,
    kubeconfig,
    pollMs: 200,
    signal: stop.signal,
    write: (l) => void (logs += l),
    onEvent: (e) => void events.push(e),
    onListening: (u) => listening(u),
    ...overrides,
  });
  done.catch((err: unknown) => void (logs += `daemon crashed: ${(err as Error).stack}\n`));
  const url = Promise.race([listened, done.then(() => Promise.reject(new Error(`the daemon stopped before it listened:\n${logs}`)))]);
  url.catch(() => undefined);
  return {
    events,
    logs: () => logs,
    url,
    stop: async () => {
      stop.abort();
      await done.catch(() => undefined);
    },
  };
}
