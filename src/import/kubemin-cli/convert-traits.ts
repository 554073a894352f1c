import { quote } from '../../k8s/formats/quote.js';
import type { ContainerRole, ConvertContext } from './context.js';
import { JsonObject } from './json-object.js';
import { traitConverters } from './traits/index.js';
import type { TraitConverter } from './traits/types.js';
import type { KcTraits } from './types.js';

/**
 * The `traits` of a component (role main) or of an init or sidecar container, converted with the
 * table in KubeMin-Cli's order. Nested traits follow KubeMin-Cli: init ignores nested init,
 * sidecar refuses nested sidecars; pod traits (rbac, ingress...) cannot be nested in kubemin.
 */
export function convertTraits(raw: unknown, pointer: string, ctx: ConvertContext): Record<string, unknown> | undefined {
  const traits = JsonObject.read<KcTraits>(raw, pointer, ctx.problems, 'traits');
  if (!traits) return undefined;
  const out: Record<string, unknown> = {};
  for (const t of traitConverters) {
    const value = traits.raw(t.name);
    if (value === undefined) continue;
    const at = traits.at(t.name);
    if (!allowed(t, ctx.container.role, at, ctx)) continue;
    const converted = t.convert(value, at, ctx);
    if (converted !== undefined && t.kubemin !== undefined) out[t.kubemin] = converted;
  }
  traits.finish(ctx.container.role === 'main' ? 'traits' : `the traits of ${ctx.container.role} container ${quote(ctx.container.name)}`);
  return Object.keys(out).length ? out : undefined;
}

/** Whether trait `t` may be where it is; a warning or an error when not. */
function allowed(t: TraitConverter, role: ContainerRole, pointer: string, ctx: ConvertContext): boolean {
  if (role === 'main') return true;
  const where = role === 'init' ? 'an init container' : 'a sidecar container';
  if (t.name === 'sidecar' && role === 'sidecar') {
    ctx.problems.error(pointer, 'nested-sidecar', 'a sidecar cannot have sidecars (KubeMin-Cli refuses it)');
    return false;
  }
  if (t.name === 'probes' && role === 'init') {
    ctx.problems.warn(
      pointer,
      'probe-on-init',
      'init containers run to completion and cannot have probes: KubeMin-Cli ignores them, kubemin refuses them (dropped)',
    );
    return false;
  }
  if (t.scope === 'pod') {
    const ignoredByKubeminCli = t.name === 'init';
    ctx.problems.warn(
      pointer,
      'nested-trait-dropped',
      ignoredByKubeminCli
        ? `${t.name} inside ${where} is ignored by KubeMin-Cli (dropped)`
        : `${t.name} inside ${where} has no equivalent: kubemin takes it on the component only (dropped); move it to the component's traits`,
    );
    return false;
  }
  return true;
}
