import { onTestFinished } from 'vitest';
import { watchRepo } from '../../src/operations/watch.js';
import type { WatchEvent } from '../../src/watch/daemon.js';
import type { RemoteFixture } from '../watch/git/remote-fixture.js';

/** `kubemin watch` in this process on a fixture's remote (branch main, path apps/), with the plugins installed with it; stopped when the test ends. */
export function startDaemon(fx: RemoteFixture, plugins: string[], kubeconfig: string): { logs: () => string; events: WatchEvent[] } {
  const stop = new AbortController();
  const events: WatchEvent[] = [];
  let logs = '';
  const done = watchRepo({
    repo: fx.remote,
    workDir: fx.workDir('daemon'),
    branch: 'main',
    path: 'apps',
    author: { name: 'kubemin', email: 'kubemin@localhost' },
    auth: {},
    intervalMs: 300,
    logFormat: 'text',
    drift: 'off',
    prune: true,
    appConcurrency: 1,
    leaderElection: false,
    leaseNamespace: 'unused',
    leaseName: 'kubemin-watch',
    kubeconfig,
    pollMs: 200,
    signal: stop.signal,
    write: (l) => void (logs += l),
    onEvent: (e) => void events.push(e),
    plugins,
  });
  done.catch((err: unknown) => void (logs += `daemon crashed: ${(err as Error).message}\n`));
  onTestFinished(async () => {
    stop.abort();
    await done.catch(() => undefined);
  });
  return { logs: () => logs, events };
}

/** Waits (up to a minute) for `check`, failing with the daemon's log. */
export async function until(what: string, logs: () => string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; daemon log:\n${logs()}`);
}
