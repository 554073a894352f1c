import { Worker, workerData, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { SIGNAL, type WorkerGone } from './wire.js';
import type { WorkerEntry } from './worker-files.js';
import type { SyncSetup } from './worker-sync.js';

/**
 * The supervisor of a plugin worker: a thread whose event loop stays free while kubemin waits
 * synchronously for the plugin worker. It starts the worker and, when the worker dies (its heap
 * limit reached, or anything else), tells kubemin at once through the shared signals, so kubemin
 * does not wait out the time limit. Terminating the supervisor terminates the worker.
 */

export interface SupervisorSetup {
  readonly entry: WorkerEntry;
  readonly resourceLimits: ResourceLimits;
  readonly worker: SyncSetup;
  /** Where the supervisor says why the worker is gone. */
  readonly gonePort: MessagePort;
}

const setup = workerData as SupervisorSetup;
const { signals } = setup.worker;
let told = false;

function gone(why: WorkerGone): void {
  if (told) return;
  told = true;
  setup.gonePort.postMessage(why);
  Atomics.store(signals, SIGNAL.dead, 1);
  Atomics.add(signals, SIGNAL.toMain, 1);
  Atomics.notify(signals, SIGNAL.toMain);
}

const worker = new Worker(setup.entry.target, {
  eval: setup.entry.eval,
  workerData: setup.worker,
  transferList: [setup.worker.port],
  resourceLimits: setup.resourceLimits,
  // What a plugin prints goes to kubemin's stderr, never into its output.
  stdout: true,
  stderr: true,
});
worker.stdout.pipe(process.stderr);
worker.stderr.pipe(process.stderr);
worker.on('error', (err: Error & { code?: string }) => {
  const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
  gone({ kind: memory ? 'memory' : 'crashed', message: memory ? 'ran out of memory' : `made its worker fail: ${err.message.split('\n')[0]}` });
});
worker.on('exit', (code) => gone({ kind: 'crashed', message: `stopped its worker (exit code ${code})` }));
