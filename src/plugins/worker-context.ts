import type { ObjectMeta } from '../k8s/types.js';
import { takesPlainData, type FunctionName } from './wire.js';

/**
 * The ctx objects plugin functions receive, rebuilt in the worker from the data kubemin sent:
 * kubemin encodes (remote-plugin.ts), the worker decodes here. Their functions are either
 * rebuilt from data (`meta`) or call back into kubemin (`buildContainer`).
 */

/** A ComponentContext as data: `meta` as the metadata it gives for the name "" (its fields in order). */
export interface ComponentContextData {
  readonly app: unknown;
  readonly component: unknown;
  /** The component type's fields without its functions. */
  readonly type: Record<string, unknown>;
  readonly pointer: string;
  readonly policies: unknown;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly meta: ObjectMeta;
}

export interface TraitContextData {
  readonly component: ComponentContextData;
  readonly container: { readonly name: string; readonly role: string };
  readonly pointer: string;
  /** Which of kubemin's trait contexts `buildContainer` calls back into. */
  readonly target: number;
}

export type CallBack = (target: number, name: 'buildContainer', args: unknown[]) => unknown;

function componentContext(data: ComponentContextData, ownType?: Record<string, unknown>): Record<string, unknown> {
  const { meta, ...rest } = data;
  return {
    ...rest,
    // The plugin's own entry when it is the component's type (its functions with it), else the type's data.
    type: ownType && ownType.name === data.type.name ? ownType : data.type,
    meta: (name: string): ObjectMeta => ({ ...structuredClone(meta), name }),
  };
}

function traitContext(data: TraitContextData, callBack: CallBack): Record<string, unknown> {
  return {
    component: componentContext(data.component),
    container: data.container,
    pointer: data.pointer,
    buildContainer: (spec: unknown, role: unknown, pointer: unknown) => callBack(data.target, 'buildContainer', [spec, role, pointer]),
  };
}

/** The arguments a plugin function receives, from the data kubemin sent. */
export function decodeArgs(fn: Exclude<FunctionName, 'execute'>, args: readonly unknown[], entry: Record<string, unknown>, callBack: CallBack): unknown[] {
  if (takesPlainData(fn)) return [...args];
  switch (fn) {
    case 'expand':
      return [componentContext(args[0] as ComponentContextData, entry), args[1]];
    case 'apply':
      return [args[0], traitContext(args[1] as TraitContextData, callBack)];
  }
}
