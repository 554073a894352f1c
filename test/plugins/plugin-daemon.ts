import { onTestFinished } from 'vitest';
import type { WatchEvent } from '../../src/watch/daemon.js';
import { runDaemon } from '../watch/daemon-fixture.js';
import type { RemoteFixture } from '../watch/git/remote-fixture.js';

/** `kubemin watch` in this process on a fixture's remote (branch main, path apps/), with the plugins installed with it; stopped when the test ends. */
export function startDaemon(fx: RemoteFixture, plugins: string[], kubeconfig: string): { logs: () => string; events: WatchEvent[] } {
  const d = runDaemon(fx, kubeconfig, { intervalMs: 300, drift: 'off', appConcurrency: 1, plugins });
  onTestFinished(() => d.stop());
  return d;
}

/** Waits (up to a minute) for `check`, failing with the daemon's log. */
export async function until(what: string, logs: () => string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; daemon log:\n${logs()}`);
}
