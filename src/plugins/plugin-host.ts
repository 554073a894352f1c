import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { PluginCallError, PluginLoadError, PluginLoadFault } from './extension-error.js';
import { LIMIT_VARIABLES, showMs, type PluginLimits } from './limits.js';
import type { SupervisorSetup } from './plugin-supervisor.js';
import {
  SIGNAL,
  SIGNAL_SLOTS,
  type FnHandle,
  type FromSyncWorker,
  type PluginMirror,
  type PluginSource,
  type Reply,
  type ToSyncWorker,
  type WorkerGone,
  type WorkerSetup,
} from './wire.js';
import { workerEntry } from './worker-files.js';

/** A running plugin worker, with its supervisor. */
interface Live {
  readonly supervisor: Worker;
  readonly port: MessagePort;
  readonly gonePort: MessagePort;
  readonly signals: Int32Array;
  seq: number;
}

/** What a trait's ctx.buildContainer calls, on kubemin's side. */
export interface CallTarget {
  buildContainer(spec: unknown, role: unknown, pointer: unknown): unknown;
}

/**
 * kubemin's side of one plugin worker (one config's plugins): it loads them and calls their
 * functions synchronously, so the compiler stays synchronous and pure. Each call is posted, then
 * waited for with Atomics.wait up to the time limit; the answer is taken with receiveMessageOnPort.
 *
 * A call that does not return in time, or a worker that dies (heap limit), stops the worker: the
 * call fails, and so does every other call of these plugins until the compile ends (the next
 * macrotask): one time limit per config and compile, not one per component. The next compile (the
 * daemon's next revision) starts a fresh worker.
 */
export class PluginHost {
  private live: Live | undefined;
  private stopped: string | undefined;
  private readonly targets = new Map<number, CallTarget>();
  private nextTarget = 0;
  /** What the worker was importing when last heard of, for a load that does not finish. */
  private loading = '';
  private layout = '';

  private constructor(
    readonly source: PluginSource,
    readonly limits: PluginLimits,
    readonly api: WorkerSetup['api'],
    /** The config, as messages name it. */
    readonly label: string,
  ) {}

  /** Starts the worker and loads the plugins: their data, to build kubemin's tables from. */
  static load(source: PluginSource, limits: PluginLimits, api: WorkerSetup['api'], label: string): { host: PluginHost; plugins: readonly PluginMirror[] } {
    const host = new PluginHost(source, limits, api, label);
    const plugins = host.start();
    host.layout = layoutOf(plugins);
    return { host, plugins };
  }

  /** Calls a function of a plugin; its failure is a PluginCallError saying why. */
  call(handle: FnHandle, args: readonly unknown[]): unknown {
    if (this.stopped) throw new PluginCallError(`not called: ${this.stopped}`);
    const live = this.live ?? this.restart();
    const id = ++live.seq;
    this.post(live, { type: 'call', id, handle, args });
    const m = this.wait(live, id);
    if (m.type !== 'result') throw new PluginCallError(`the worker answered ${m.type} to a call`);
    if (m.outcome.ok) return m.outcome.value;
    throw new PluginCallError(m.outcome.message);
  }

  /** A trait context the worker may call back (ctx.buildContainer) while a call runs. */
  withTarget<T>(target: CallTarget, fn: (id: number) => T): T {
    const id = ++this.nextTarget;
    this.targets.set(id, target);
    try {
      return fn(id);
    } finally {
      this.targets.delete(id);
    }
  }

  close(): void {
    const live = this.live;
    this.live = undefined;
    if (live) void live.supervisor.terminate().catch(() => undefined);
  }

  private start(): readonly PluginMirror[] {
    const signals = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const channel = new MessageChannel();
    const gone = new MessageChannel();
    const supervisor = workerEntry('plugin-supervisor');
    const setup: SupervisorSetup = {
      entry: workerEntry('plugin-worker'),
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
      worker: { mode: 'sync', api: this.api, signals, port: channel.port2 },
      gonePort: gone.port2,
    };
    const live: Live = {
      supervisor: new Worker(supervisor.target, { eval: supervisor.eval, workerData: setup, transferList: [channel.port2, gone.port2] }),
      port: channel.port1,
      gonePort: gone.port1,
      signals,
      seq: 0,
    };
    // The workers never keep kubemin running, and their failures are read from the signals.
    live.supervisor.unref();
    live.supervisor.on('error', () => undefined);
    this.live = live;
    const id = ++live.seq;
    this.post(live, { type: 'load', id, source: this.source });
    let m: FromSyncWorker;
    try {
      m = this.wait(live, id);
    } catch (err) {
      throw new PluginLoadFault(
        this.label,
        `${this.label}: ${this.loading || 'its plugins'} ${(err as Error).message.replace(/^did not return/, 'did not load')}`,
      );
    }
    if (m.type === 'loaded') return m.plugins;
    this.close();
    if (m.type !== 'load-failed') throw new PluginLoadFault(this.label, `${this.label}: the plugin worker answered ${m.type} to the load`);
    const message = m.fault.message.startsWith(this.label) ? m.fault.message : `${this.label}: ${m.fault.message}`;
    if (m.fault.kind === 'not-found' || m.fault.kind === 'bad-config') throw new PluginLoadError(message);
    throw new PluginLoadFault(this.label, message);
  }

  /** A fresh worker after the one of an earlier compile was stopped: the same plugins, or a failure. */
  private restart(): Live {
    let plugins: readonly PluginMirror[];
    try {
      plugins = this.start();
    } catch (err) {
      throw new PluginCallError(`not called: its plugins did not load again: ${(err as Error).message}`, { cause: err });
    }
    if (layoutOf(plugins) !== this.layout) {
      this.close();
      throw new PluginCallError('not called: its plugins were not the same when loaded again');
    }
    return this.live!;
  }

  private post(live: Live, m: ToSyncWorker): void {
    live.port.postMessage(m);
    Atomics.add(live.signals, SIGNAL.toWorker, 1);
    Atomics.notify(live.signals, SIGNAL.toWorker);
  }

  /** Waits for the answer `id`, serving the worker's calls back meanwhile. */
  private wait(live: Live, id: number): FromSyncWorker {
    const deadline = performance.now() + this.limits.timeoutMs;
    for (;;) {
      // A nested call (from a call back) may have stopped this worker.
      if (this.live !== live) throw new PluginCallError(this.stopped ?? 'its worker was stopped');
      const seen = Atomics.load(live.signals, SIGNAL.toMain);
      const m = receiveMessageOnPort(live.port)?.message as FromSyncWorker | undefined;
      if (m) {
        if (m.type === 'callback') this.answer(live, m);
        else if (m.type === 'loading') this.loading = m.what;
        else if (m.id === id) return m;
        continue;
      }
      if (Atomics.load(live.signals, SIGNAL.dead)) {
        const why = receiveMessageOnPort(live.gonePort)?.message as WorkerGone | undefined;
        const memory = why?.kind === 'memory';
        throw this.fault(
          memory ? `ran out of memory (the limit is ${this.limits.memoryMb} MB of heap; ${LIMIT_VARIABLES.memoryMb})` : (why?.message ?? 'stopped its worker'),
        );
      }
      const left = deadline - performance.now();
      if (left <= 0) throw this.fault(`did not return within ${showMs(this.limits.timeoutMs)} (the time limit; ${LIMIT_VARIABLES.timeoutMs})`);
      Atomics.wait(live.signals, SIGNAL.toMain, seen, left);
    }
  }

  private answer(live: Live, m: Extract<FromSyncWorker, { type: 'callback' }>): void {
    let reply: Reply;
    try {
      const target = this.targets.get(m.target);
      if (!target) throw new Error(`ctx.${m.name} cannot be called after the function returned`);
      reply = { ok: true, value: target.buildContainer(m.args[0], m.args[1], m.args[2]) };
    } catch (err) {
      reply = { ok: false, error: { name: 'Error', message: err instanceof Error ? err.message : String(err) } };
    }
    if (this.live !== live) return;
    try {
      this.post(live, { type: 'reply', id: m.id, reply });
    } catch (err) {
      this.post(live, {
        type: 'reply',
        id: m.id,
        reply: { ok: false, error: { name: 'Error', message: `kubemin could not pass the answer: ${(err as Error).message}` } },
      });
    }
  }

  /** The worker is stopped; this and the other calls of this compile fail with the reason. */
  private fault(message: string): PluginCallError {
    this.close();
    this.stopped = `the plugins of ${this.label} were stopped earlier in this run: ${message}`;
    // The compile is synchronous: the next macrotask is after it, when a fresh worker may start.
    setImmediate(() => (this.stopped = undefined)).unref();
    return new PluginCallError(message);
  }
}

/** The names and functions of the plugins, to see that a reload gave the same ones. */
function layoutOf(plugins: readonly PluginMirror[]): string {
  return JSON.stringify(
    plugins.map((p) => [
      p.source,
      p.name,
      Object.entries(p.tables).map(([t, defs]) => [t, defs === 'not-a-list' ? defs : defs.map((d) => [d.data?.name, d.functions])]),
    ]),
  );
}
