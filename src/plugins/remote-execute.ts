import { MessageChannel, Worker } from 'node:worker_threads';
import type { PhaseContext, PhaseRun } from '../apply/executors/types.js';
import type { BundlePhase } from '../compile.js';
import { ClusterError, type ClusterClient } from '../cluster/types.js';
import { objectProblem, phaseRunProblem } from './check-output.js';
import { LIMIT_VARIABLES, showMs, type PluginLimits } from './limits.js';
import type { ExecuteSetup } from './worker-execute.js';
import {
  SIGNAL,
  SIGNAL_SLOTS,
  type AsyncMethod,
  type ErrorData,
  type FnHandle,
  type FromExecuteWorker,
  type PluginSource,
  type Reply,
  type SyncRequest,
  type ToExecuteWorker,
  type WorkerSetup,
} from './wire.js';
import { workerEntry } from './worker-files.js';

export interface ExecuteTarget {
  readonly source: PluginSource;
  readonly limits: PluginLimits;
  readonly api: WorkerSetup['api'];
  readonly handle: FnHandle;
  readonly name: string;
  /** `step type "smoke-test" of plugin "smoke" (smoke.mjs)` */
  readonly what: string;
}

function errorData(err: unknown): ErrorData {
  if (err instanceof ClusterError)
    return { name: err.name, message: err.message, reason: err.reason, ...(err.status !== undefined ? { status: err.status } : {}) };
  return { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) };
}

async function callClient(client: ClusterClient, method: AsyncMethod, args: readonly unknown[], ctx: PhaseContext): Promise<unknown> {
  const a = args as unknown as [never, never, never];
  switch (method) {
    case 'client.resourceFor':
      return client.resourceFor(a[0], a[1]);
    case 'client.get':
      return client.get(a[0]);
    case 'client.apply':
      return client.apply(a[0], a[1]);
    case 'client.create':
      return client.create(a[0]);
    case 'client.replace':
      return client.replace(a[0]);
    case 'client.list':
      return client.list(a[0], a[1], a[2]);
    case 'client.delete':
      return client.delete(a[0], a[1]);
    case 'clock.sleep':
      return ctx.clock.sleep(Math.max(0, Number(a[0]) || 0), ctx.signal);
  }
}

function answerSync(req: SyncRequest, ctx: PhaseContext): unknown {
  const a = req.args as unknown as [never, never, never];
  switch (req.method) {
    case 'client.forgetDiscovery':
      return ctx.client.forgetDiscovery();
    case 'client.requests':
      return ctx.client.requests;
    case 'clock.now':
      return ctx.clock.now();
    case 'redact':
      return ctx.redact(String(a[0]));
    case 'recordApplied': {
      const o = a[0] as { object?: unknown } | undefined;
      const problem = objectProblem(o?.object);
      if (problem) throw new Error(`recordApplied: ${problem}`);
      return ctx.recordApplied(a[0]);
    }
    case 'progress':
      return ctx.progress(a[0], a[1], a[2]);
    case 'rule.kinds':
      return ctx.ruleFor(a[0]).kinds;
    case 'rule.related':
      return ctx.ruleFor(a[0]).related?.(a[1]) ?? [];
    case 'rule.check':
      return ctx.ruleFor(a[0]).check(a[1], a[2]);
  }
}

/**
 * Runs a plugin step type's `execute` (one phase of `kubemin apply`) in a worker of its own, with
 * the heap limit, and a time limit of the phase's time left plus the per-call limit. The cluster
 * client, the clock and the other functions of the PhaseContext stay kubemin's: the worker reaches
 * them over messages. A throw, an invalid result, the time or heap limit, an exit: the phase fails
 * with a reason naming the plugin, and kubemin goes on.
 */
export function executeInWorker(target: ExecuteTarget, phase: BundlePhase, ctx: PhaseContext): Promise<PhaseRun> {
  const signals = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const sync = new MessageChannel();
  const entry = workerEntry('plugin-worker');
  const setup: ExecuteSetup = { mode: 'execute', api: target.api, signals, syncPort: sync.port2 };
  const worker = new Worker(entry.target, {
    eval: entry.eval,
    workerData: setup,
    transferList: [sync.port2],
    resourceLimits: { maxOldGenerationSizeMb: target.limits.memoryMb },
    stdout: true,
    stderr: true,
  });
  worker.stdout.pipe(process.stderr);
  worker.stderr.pipe(process.stderr);
  const limitMs = Math.max(0, ctx.deadline - ctx.clock.now()) + target.limits.timeoutMs;

  return new Promise<PhaseRun>((resolve) => {
    let done = false;
    const finish = (run: PhaseRun): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      sync.port1.close();
      void worker.terminate().catch(() => undefined);
      resolve(run);
    };
    const fail = (outcome: 'failed' | 'timeout', why: string): void =>
      finish({ outcome, objects: [], reasons: [ctx.redact(`phase ${phase.name}: ${target.what}: ${why}`)] });
    const timer = setTimeout(
      () => fail('timeout', `did not return by the phase's deadline plus ${showMs(target.limits.timeoutMs)} (${LIMIT_VARIABLES.timeoutMs})`),
      limitMs,
    );
    const onAbort = (): void => worker.postMessage({ type: 'abort' } satisfies ToExecuteWorker);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });

    const reply = (id: number, r: Reply): void => {
      if (done) return;
      try {
        worker.postMessage({ type: 'reply', id, reply: r } satisfies ToExecuteWorker);
      } catch (err) {
        worker.postMessage({ type: 'reply', id, reply: { ok: false, error: errorData(err) } } satisfies ToExecuteWorker);
      }
    };
    sync.port1.on('message', (req: SyncRequest) => {
      let r: Reply;
      try {
        r = { ok: true, value: answerSync(req, ctx) };
      } catch (err) {
        r = { ok: false, error: errorData(err) };
      }
      try {
        sync.port1.postMessage({ id: req.id, reply: r });
      } catch (err) {
        sync.port1.postMessage({ id: req.id, reply: { ok: false, error: errorData(err) } });
      }
      Atomics.add(signals, SIGNAL.toWorker, 1);
      Atomics.notify(signals, SIGNAL.toWorker);
    });
    worker.on('message', (m: FromExecuteWorker) => {
      if (m.type === 'call') {
        callClient(ctx.client, m.method, m.args, ctx).then(
          (value) => reply(m.id, { ok: true, value }),
          (err: unknown) => reply(m.id, { ok: false, error: errorData(err) }),
        );
        return;
      }
      if (!m.outcome.ok) return fail('failed', m.outcome.message);
      const problem = phaseRunProblem(m.outcome.value);
      if (problem) return fail('failed', `it returned something invalid: ${problem}`);
      const run = m.outcome.value as PhaseRun;
      finish({ ...run, reasons: run.reasons.map((r) => ctx.redact(r)) });
    });
    worker.on('error', (err: Error & { code?: string }) =>
      fail(
        'failed',
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `ran out of memory (the limit is ${target.limits.memoryMb} MB of heap; ${LIMIT_VARIABLES.memoryMb})`
          : `made its worker fail: ${err.message.split('\n')[0]}`,
      ),
    );
    worker.on('exit', (code) => fail('failed', `stopped its worker (exit code ${code})`));
    worker.postMessage({
      type: 'execute',
      source: target.source,
      handle: target.handle,
      name: target.name,
      phase,
      ctx: {
        app: ctx.app,
        deadline: ctx.deadline,
        aborted: ctx.signal?.aborted ?? false,
        forceConflicts: ctx.forceConflicts,
        skipPreflight: ctx.skipPreflight,
        concurrency: ctx.concurrency,
        pollMs: ctx.pollMs,
      },
    } satisfies ToExecuteWorker);
  });
}
