import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { describeThrown, nonData } from './foreign-values.js';
import { decodeArgs } from './worker-context.js';
import { invokeSync, isExitAttempt, notDataOutcome } from './worker-invoke.js';
import { entryOf, LoadFault, loadInWorker, mirrorPlugin, pluginApi, type WorkerPlugin } from './worker-load.js';
import { SIGNAL, type CallOutcome, type Fault, type FromSyncWorker, type PluginMirror, type ToSyncWorker, type WorkerSetup } from './wire.js';

/**
 * The worker of the compiler's plugin calls. kubemin waits for each answer synchronously
 * (Atomics.wait on `signals`, then receiveMessageOnPort), so its compiler stays synchronous; a
 * plugin calling back into kubemin (ctx.buildContainer) is answered the same way, and kubemin may
 * call this worker again meanwhile (a nested call), which is served from the wait.
 */

export interface SyncSetup extends WorkerSetup {
  readonly mode: 'sync';
  readonly port: MessagePort;
}

export function serveSync(setup: SyncSetup): void {
  const { port, signals } = setup;
  const api = pluginApi(setup);
  let plugins: WorkerPlugin[] = [];
  let seq = 0;

  const notify = (): void => {
    Atomics.add(signals, SIGNAL.toMain, 1);
    Atomics.notify(signals, SIGNAL.toMain);
  };
  /** Posts a message; one structured clone refuses is replaced by one saying why. */
  const send = (msg: FromSyncWorker): void => {
    try {
      port.postMessage(msg);
    } catch (err) {
      if (msg.type === 'result' && msg.outcome.ok)
        port.postMessage({ type: 'result', id: msg.id, outcome: notDataOutcome(msg.outcome.value, err) } satisfies FromSyncWorker);
      else if (msg.type === 'loaded')
        port.postMessage({
          type: 'load-failed',
          id: msg.id,
          fault: { kind: 'not-data', message: `the plugins cannot be passed to kubemin: ${describeThrown(err)}` },
        } satisfies FromSyncWorker);
      else throw err;
    }
    notify();
  };

  const callBack = (target: number, name: 'buildContainer', args: unknown[]): unknown => {
    const problem = nonData(args);
    if (problem) throw new Error(`ctx.${name} was given something that is not data: ${problem}`);
    const id = ++seq;
    send({ type: 'callback', id, target, name, args });
    for (;;) {
      const seen = Atomics.load(signals, SIGNAL.toWorker);
      const m = receiveMessageOnPort(port)?.message as ToSyncWorker | undefined;
      if (!m) {
        Atomics.wait(signals, SIGNAL.toWorker, seen);
        continue;
      }
      if (m.type === 'call') serveCall(m);
      else if (m.type === 'reply' && m.id === id) {
        if (m.reply.ok) return m.reply.value;
        throw Object.assign(new Error(m.reply.error.message), { name: m.reply.error.name });
      }
    }
  };

  const serveCall = (m: Extract<ToSyncWorker, { type: 'call' }>): void => {
    const { handle } = m;
    let outcome: CallOutcome;
    if (handle.fn === 'execute') outcome = { ok: false, kind: 'threw', message: 'execute runs in a worker of its own' };
    else {
      const fn = handle.fn;
      outcome = invokeSync(() => {
        const entry = entryOf(plugins, handle.plugin, handle.table, handle.index);
        return (entry[fn] as (...a: unknown[]) => unknown).apply(entry, decodeArgs(fn, m.args, entry, callBack));
      });
    }
    send({ type: 'result', id: m.id, outcome });
  };

  const serveLoad = async (m: Extract<ToSyncWorker, { type: 'load' }>): Promise<void> => {
    try {
      plugins = await loadInWorker(m.source, api, (what) => send({ type: 'loading', id: m.id, what }));
      const mirrors: PluginMirror[] = plugins.map((p) => {
        try {
          return mirrorPlugin(p);
        } catch (err) {
          if (err instanceof LoadFault) throw err;
          throw new LoadFault({ kind: 'threw', message: `${p.source}: reading the plugin threw: ${describeThrown(err)}` });
        }
      });
      send({ type: 'loaded', id: m.id, plugins: mirrors });
    } catch (err) {
      const fault: Fault =
        err instanceof LoadFault ? err.fault : isExitAttempt(err) ? { kind: 'exit', message: err.message } : { kind: 'threw', message: describeThrown(err) };
      send({ type: 'load-failed', id: m.id, fault });
    }
  };

  // A plugin's stray asynchronous failure (a timer, a promise nobody awaits) does not end the worker.
  process.on('uncaughtException', () => undefined);
  process.on('unhandledRejection', () => undefined);
  port.on('message', (m: ToSyncWorker) => {
    if (m.type === 'call') serveCall(m);
    else if (m.type === 'load') void serveLoad(m);
  });
}
