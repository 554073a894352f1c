import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { describeThrown } from './foreign-values.js';
import { notDataOutcome, thrownOutcome } from './worker-invoke.js';
import { entryOf, LoadFault, loadInWorker, pluginApi } from './worker-load.js';
import {
  SIGNAL,
  type AsyncMethod,
  type CallOutcome,
  type FromExecuteWorker,
  type PhaseContextData,
  type Reply,
  type SyncMethod,
  type SyncRequest,
  type ToExecuteWorker,
  type WorkerSetup,
} from './wire.js';

/**
 * The worker of one `execute` of a plugin's step type (one phase of `kubemin apply`): it loads the
 * plugins again, runs the function with a PhaseContext whose cluster client, clock and callbacks
 * are kubemin's, reached over messages (cluster calls asynchronously; the quick synchronous ones,
 * such as `redact` and `clock.now`, on a port of their own that kubemin answers at once).
 */

export interface ExecuteSetup extends WorkerSetup {
  readonly mode: 'execute';
  readonly syncPort: MessagePort;
}

const errorOf = (reply: Extract<Reply, { ok: false }>): Error => Object.assign(new Error(reply.error.message), reply.error);

export function serveExecute(setup: ExecuteSetup): void {
  const port = parentPort!;
  const { syncPort, signals } = setup;
  const api = pluginApi(setup);
  const pending = new Map<number, (reply: Reply) => void>();
  const abort = new AbortController();
  let seq = 0;
  let finished = false;

  const finish = (outcome: CallOutcome): void => {
    if (finished) return;
    finished = true;
    try {
      port.postMessage({ type: 'result', outcome } satisfies FromExecuteWorker);
    } catch (err) {
      port.postMessage({
        type: 'result',
        outcome: outcome.ok ? notDataOutcome(outcome.value, err) : { ok: false, kind: 'threw', message: outcome.message },
      } satisfies FromExecuteWorker);
    }
  };

  const callAsync = (method: AsyncMethod, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      try {
        port.postMessage({ type: 'call', id, method, args } satisfies FromExecuteWorker);
      } catch (err) {
        reject(new Error(`${method} was given something that is not data: ${describeThrown(err)}`));
        return;
      }
      pending.set(id, (reply) => (reply.ok ? resolve(reply.value) : reject(errorOf(reply))));
    });

  const callSync = (method: SyncMethod, args: unknown[]): unknown => {
    const id = ++seq;
    try {
      syncPort.postMessage({ id, method, args } satisfies SyncRequest);
    } catch (err) {
      throw new Error(`${method} was given something that is not data: ${describeThrown(err)}`, { cause: err });
    }
    for (;;) {
      const seen = Atomics.load(signals, SIGNAL.toWorker);
      const m = receiveMessageOnPort(syncPort)?.message as { id: number; reply: Reply } | undefined;
      if (!m) Atomics.wait(signals, SIGNAL.toWorker, seen);
      else if (m.id === id) {
        if (m.reply.ok) return m.reply.value;
        throw errorOf(m.reply);
      }
    }
  };

  const run = async (m: Extract<ToExecuteWorker, { type: 'execute' }>): Promise<void> => {
    let entry: Record<string, unknown>;
    try {
      const plugins = await loadInWorker(m.source, api);
      entry = entryOf(plugins, m.handle.plugin, m.handle.table, m.handle.index);
      if (entry.name !== m.name || typeof entry.execute !== 'function')
        throw new Error(`step type "${m.name}" is not where it was when the plugins were loaded`);
    } catch (err) {
      finish({ ok: false, kind: 'threw', message: `loading the plugins again threw: ${err instanceof LoadFault ? err.message : describeThrown(err)}` });
      return;
    }
    if (m.ctx.aborted) abort.abort();
    try {
      const execute = entry.execute as (phase: unknown, ctx: unknown) => unknown;
      finish({ ok: true, value: await execute.call(entry, m.phase, phaseContext(m.ctx, callAsync, callSync, abort.signal)) });
    } catch (err) {
      finish(thrownOutcome(err));
    }
  };

  // An execute's stray failure (a promise nobody awaits) ends its phase as failed.
  process.on('uncaughtException', (err) => finish({ ok: false, kind: 'threw', message: `it threw (outside the promise it returned): ${describeThrown(err)}` }));
  process.on('unhandledRejection', (err) =>
    finish({ ok: false, kind: 'threw', message: `a promise of it was rejected and nothing handled it: ${describeThrown(err)}` }),
  );
  port.on('message', (m: ToExecuteWorker) => {
    switch (m.type) {
      case 'execute':
        void run(m);
        return;
      case 'reply':
        pending.get(m.id)?.(m.reply);
        pending.delete(m.id);
        return;
      case 'abort':
        abort.abort();
        return;
    }
  });
}

/** PhaseContext in the worker: the data as sent, the functions reaching kubemin's. */
function phaseContext(
  data: PhaseContextData,
  callAsync: (method: AsyncMethod, args: unknown[]) => Promise<unknown>,
  callSync: (method: SyncMethod, args: unknown[]) => unknown,
  signal: AbortSignal,
): Record<string, unknown> {
  const client = {
    resourceFor: (...a: unknown[]) => callAsync('client.resourceFor', a),
    get: (...a: unknown[]) => callAsync('client.get', a),
    apply: (...a: unknown[]) => callAsync('client.apply', a),
    create: (...a: unknown[]) => callAsync('client.create', a),
    replace: (...a: unknown[]) => callAsync('client.replace', a),
    list: (...a: unknown[]) => callAsync('client.list', a),
    delete: (...a: unknown[]) => callAsync('client.delete', a),
    forgetDiscovery: () => void callSync('client.forgetDiscovery', []),
    get requests(): unknown {
      return callSync('client.requests', []);
    },
    // The client is kubemin's, shared with other phases: a plugin does not close it.
    close: () => undefined,
  };
  const clock = {
    now: () => callSync('clock.now', []),
    sleep: (ms: unknown, s?: AbortSignal) =>
      new Promise<void>((resolve) => {
        if (s?.aborted) return resolve();
        s?.addEventListener('abort', () => resolve(), { once: true });
        void callAsync('clock.sleep', [ms]).then(
          () => resolve(),
          () => resolve(),
        );
      }),
  };
  const ruleFor = (o: { apiVersion: string; kind: string }): unknown => {
    const kind = { apiVersion: o.apiVersion, kind: o.kind };
    return {
      kinds: callSync('rule.kinds', [kind]),
      related: (object: unknown) => callSync('rule.related', [kind, object]),
      check: (object: unknown, related: unknown) => callSync('rule.check', [kind, object, related]),
    };
  };
  const { aborted: _aborted, ...rest } = data;
  return {
    ...rest,
    signal,
    client,
    clock,
    ruleFor,
    redact: (text: unknown) => callSync('redact', [text]),
    recordApplied: (o: unknown) => void callSync('recordApplied', [o]),
    progress: (...a: unknown[]) => void callSync('progress', a),
  };
}
