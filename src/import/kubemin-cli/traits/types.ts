import type { ConvertContext } from '../context.js';
import type { KcTraits } from '../types.js';

/**
 * One KubeMin-Cli trait and how it becomes kubemin's. The converters are a table (index.ts) in
 * KubeMin-Cli's order, which is also kubemin's.
 */
export interface TraitConverter {
  /** KubeMin-Cli's key under `traits`. */
  readonly name: Extract<keyof KcTraits, string>;
  /** The kubemin trait it becomes; undefined when there is none (it is dropped with a warning). */
  readonly kubemin: string | undefined;
  /**
   * container: the trait is about the container it is on, and may be nested under init and
   * sidecar entries (as in both tools); pod: about the component, on the main container only.
   */
  readonly scope: 'container' | 'pod';
  /** The kubemin value of the trait, or undefined when nothing is left to write. */
  convert(value: unknown, pointer: string, ctx: ConvertContext): unknown;
}
