import type { PhaseContext } from '../apply/executors/types.js';
import type { BundlePhase } from '../compile.js';
import type { ComponentContext, TraitContext } from '../expand/types.js';
import type { PluginHost } from './plugin-host.js';
import { executeInWorker } from './remote-execute.js';
import type { KubeminPlugin, LoadedPlugin } from './types.js';
import { TABLES, takesPlainData, type DefMirror, type FnHandle, type FunctionName, type PluginMirror, type Table } from './wire.js';
import type { ComponentContextData, TraitContextData } from './worker-context.js';

/**
 * A plugin of a repository as kubemin holds it: its data (names, schemas, descriptions,
 * capabilities) as the worker sent it, and in place of each function a stand-in that calls the
 * function in the worker, with the ctx sent as data (worker-context.ts rebuilds it there).
 */

/** A component context as data: its functions left out, `meta` given by its result. */
function encodeComponentContext(ctx: ComponentContext): ComponentContextData {
  return {
    app: ctx.app,
    component: ctx.component,
    type: Object.fromEntries(Object.entries(ctx.type).filter(([, v]) => typeof v !== 'function')),
    pointer: ctx.pointer,
    policies: ctx.policies,
    labels: ctx.labels,
    selector: ctx.selector,
    meta: ctx.meta(''),
  };
}

function standIn(host: PluginHost, handle: FnHandle, name: string, origin: string): (...args: never[]) => unknown {
  const fn: FunctionName = handle.fn;
  if (takesPlainData(fn)) return (...args: unknown[]) => host.call(handle, args);
  switch (fn) {
    case 'expand':
      return (ctx: ComponentContext, pod: unknown) => host.call(handle, [encodeComponentContext(ctx), pod]);
    case 'apply':
      return (props: unknown, ctx: TraitContext) =>
        host.withTarget(ctx, (target) => {
          const data: TraitContextData = { component: encodeComponentContext(ctx.component), container: ctx.container, pointer: ctx.pointer, target };
          return host.call(handle, [props, data]);
        });
    case 'execute':
      return (phase: BundlePhase, ctx: PhaseContext) =>
        executeInWorker({ source: host.source, limits: host.limits, api: host.api, handle, name, what: `step type "${name}" of ${origin}` }, phase, ctx);
  }
}

function entryOf(host: PluginHost, def: DefMirror, handle: Omit<FnHandle, 'fn'>, origin: string): Record<string, unknown> | null {
  if (def.data === null) return null;
  const name = String(def.data.name);
  return { ...def.data, ...Object.fromEntries(def.functions.map((fn) => [fn, standIn(host, { ...handle, fn }, name, origin)])) };
}

/** The plugins a worker loaded, as kubemin's tables take them (createPluginSet checks their shape). */
export function remotePlugins(host: PluginHost, mirrors: readonly PluginMirror[]): LoadedPlugin[] {
  return mirrors.map((m, plugin) => {
    const origin = `plugin "${String(m.name)}" (${m.source})`;
    const out: Record<string, unknown> = { name: m.name };
    for (const table of TABLES as readonly Table[]) {
      const defs = m.tables[table];
      if (defs === undefined) continue;
      out[table] = defs === 'not-a-list' ? defs : defs.map((def, index) => entryOf(host, def, { plugin, table, index }, origin));
    }
    return { plugin: out as unknown as KubeminPlugin, source: m.source };
  });
}
