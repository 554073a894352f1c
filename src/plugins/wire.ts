/**
 * What passes between kubemin and a plugin worker: data only (structured clone). A plugin's
 * functions stay in the worker; kubemin holds their names and calls them by handle.
 */

/** Where a worker loads plugins from. */
export type PluginSource =
  /** A kubemin.config.mjs / .js: imported in the worker (it is code too). */
  | { readonly kind: 'config'; readonly file: string }
  /** Modules named by a YAML config or by the watch daemon's --plugin flags. */
  | { readonly kind: 'modules'; readonly from: string; readonly specifiers: readonly string[] };

export const TABLES = ['componentTypes', 'traits', 'stepTypes', 'readiness'] as const;
export type Table = (typeof TABLES)[number];

/** The functions kubemin calls, per table. */
export const FUNCTIONS = {
  componentTypes: ['expand'],
  traits: ['apply', 'references', 'containers', 'envNames', 'probePorts', 'mountPaths', 'preStopSeconds', 'gracePeriodSeconds', 'written'],
  stepTypes: ['plan', 'execute'],
  readiness: ['check', 'related'],
} as const satisfies Record<Table, readonly string[]>;
export type FunctionName = (typeof FUNCTIONS)[Table][number];

/** The functions given a context to rebuild on the other side (a component, a trait's container, a phase); the others take and give plain data. */
type ContextFunction = 'expand' | 'apply' | 'execute';

/** Whether `fn`'s arguments cross to the worker as they are. */
export function takesPlainData(fn: FunctionName): fn is Exclude<FunctionName, ContextFunction> {
  return fn !== 'expand' && fn !== 'apply' && fn !== 'execute';
}

/** One function of one plugin in the worker. */
export interface FnHandle {
  readonly plugin: number;
  readonly table: Table;
  readonly index: number;
  readonly fn: FunctionName;
}

/** An entry of a plugin's table as data: its fields (schemas, names...), and which functions it has. */
export interface DefMirror {
  /** null when the entry is not a mapping. */
  readonly data: Record<string, unknown> | null;
  readonly functions: readonly FunctionName[];
}

/** A plugin as data. A table that is not a list is `'not-a-list'`. */
export interface PluginMirror {
  readonly source: string;
  readonly name: unknown;
  readonly tables: Partial<Record<Table, readonly DefMirror[] | 'not-a-list'>>;
}

/**
 * Why a call (or the load) did not give a value:
 * - `threw`, `exit`, `promise`, `not-data`: the plugin's code, reported by the worker;
 * - `timeout`, `memory`, `crashed`: the worker was stopped or died, seen by kubemin;
 * - `stopped`: not called, the plugins' worker was stopped earlier in this compile;
 * - `not-found`, `bad-config`: the config or a module name is wrong (a usage error, not a fault).
 */
type FaultKind = 'threw' | 'exit' | 'promise' | 'not-data' | 'timeout' | 'memory' | 'crashed' | 'stopped' | 'not-found' | 'bad-config';

export interface Fault {
  readonly kind: FaultKind;
  readonly message: string;
}

export type CallOutcome = { readonly ok: true; readonly value: unknown } | ({ readonly ok: false } & Fault);

/** kubemin's answer to a plugin's call back into it: a value, or the error to throw in the plugin. */
export type Reply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ErrorData };

/** What the worker gets at start. */
export interface WorkerSetup {
  readonly mode: 'sync' | 'execute';
  /** The plugin API's data (schema fragments, the GPU resource); the worker adds shortHash. */
  readonly api: { readonly fragments: Record<string, unknown>; readonly gpuResource: string };
  readonly signals: Int32Array;
}

/** Slots of the Int32Array both sides wait on. */
export const SIGNAL = { toMain: 0, toWorker: 1, dead: 2 } as const;
export const SIGNAL_SLOTS = 3;

export type ToSyncWorker =
  | { readonly type: 'load'; readonly id: number; readonly source: PluginSource }
  | { readonly type: 'call'; readonly id: number; readonly handle: FnHandle; readonly args: readonly unknown[] }
  | { readonly type: 'reply'; readonly id: number; readonly reply: Reply };

export type FromSyncWorker =
  | { readonly type: 'loaded'; readonly id: number; readonly plugins: readonly PluginMirror[] }
  | { readonly type: 'load-failed'; readonly id: number; readonly fault: Fault }
  /** The module being imported now (named in a message if the load does not finish). */
  | { readonly type: 'loading'; readonly id: number; readonly what: string }
  | { readonly type: 'result'; readonly id: number; readonly outcome: CallOutcome }
  /** The plugin called back into kubemin (a trait's ctx.buildContainer). */
  | { readonly type: 'callback'; readonly id: number; readonly target: number; readonly name: 'buildContainer'; readonly args: readonly unknown[] };

/** What the supervisor tells kubemin when the plugin worker is gone. */
export interface WorkerGone {
  readonly kind: 'memory' | 'crashed';
  readonly message: string;
}

/** The methods of PhaseContext an `execute` in the worker reaches through kubemin, and how. */
export type AsyncMethod =
  'client.resourceFor' | 'client.get' | 'client.apply' | 'client.create' | 'client.replace' | 'client.list' | 'client.delete' | 'clock.sleep';
export type SyncMethod =
  'client.forgetDiscovery' | 'client.requests' | 'clock.now' | 'redact' | 'recordApplied' | 'progress' | 'rule.kinds' | 'rule.related' | 'rule.check';

export type ToExecuteWorker =
  | {
      readonly type: 'execute';
      readonly source: PluginSource;
      readonly handle: FnHandle;
      readonly name: string;
      readonly phase: unknown;
      readonly ctx: PhaseContextData;
    }
  | { readonly type: 'reply'; readonly id: number; readonly reply: Reply }
  | { readonly type: 'abort' };

export type FromExecuteWorker =
  | { readonly type: 'result'; readonly outcome: CallOutcome }
  | { readonly type: 'call'; readonly id: number; readonly method: AsyncMethod; readonly args: readonly unknown[] };

/** A synchronous request of the execute worker (on its own port), answered at once by kubemin. */
export interface SyncRequest {
  readonly id: number;
  readonly method: SyncMethod;
  readonly args: readonly unknown[];
}

/** PhaseContext's data; its functions are rebuilt in the worker. */
export interface PhaseContextData {
  readonly app: unknown;
  readonly deadline: number;
  readonly aborted: boolean;
  readonly forceConflicts: boolean;
  readonly skipPreflight: boolean;
  readonly concurrency: number;
  readonly pollMs: number;
}

/** An error as data: what the plugin may look at (a ClusterError's reason and status). */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly reason?: string;
  readonly status?: number;
}
