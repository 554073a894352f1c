import { workerData } from 'node:worker_threads';
import { serveExecute, type ExecuteSetup } from './worker-execute.js';
import { ExitAttempt } from './worker-invoke.js';
import { serveSync, type SyncSetup } from './worker-sync.js';

/**
 * The plugin worker's entry: a thread of its own, with a bounded heap, where a repository's
 * plugins are imported and called. Before any plugin code runs, the ways to end the process are
 * taken away: a call to them throws in the plugin instead.
 */

function interceptExits(): void {
  const refuse =
    (what: string) =>
    (code?: unknown): never => {
      throw new ExitAttempt(`it called ${what}(${typeof code === 'number' || typeof code === 'string' ? code : ''}): a plugin cannot end kubemin`);
    };
  process.exit = refuse('process.exit');
  process.abort = refuse('process.abort');
  (process as unknown as { reallyExit: unknown }).reallyExit = refuse('process.reallyExit');
  const kill = process.kill.bind(process);
  process.kill = (pid: number, signal?: string | number): true => {
    if (pid === process.pid || pid === 0 || pid === -process.pid || pid === process.ppid)
      throw new ExitAttempt(`it called process.kill(${pid}): a plugin cannot end kubemin`);
    return kill(pid, signal);
  };
}

interceptExits();
const setup = workerData as SyncSetup | ExecuteSetup;
if (setup.mode === 'sync') serveSync(setup);
else serveExecute(setup);
