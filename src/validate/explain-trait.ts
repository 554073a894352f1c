import type { Capability } from '../expand/types.js';
import type { RuleTables } from './rule.js';

const NEEDS: Record<Capability, string> = {
  podTemplate: 'a pod',
  service: 'a Service (webservice or store)',
  scalable: 'a scalable workload (webservice, worker or store)',
  claimTemplates: 'volume claim templates (store)',
  runToCompletion: 'a run-to-completion workload (job or cronjob)',
};

/** Why a known trait cannot be written where it was, or undefined for an unknown name. */
export function explainTrait(registry: RuleTables, name: string, component: Record<string, unknown> | undefined, nested: boolean): string | undefined {
  const trait = registry.traits.find((t) => t.name === name);
  if (!trait) return undefined;
  if (nested && trait.scope === 'pod') {
    return `trait "${name}" belongs to the component, not to an init or sidecar container (only ${registry.traits
      .filter((t) => t.scope === 'container')
      .map((t) => t.name)
      .join(', ')} can be nested)`;
  }
  const type = registry.componentTypes.get(String(component?.type));
  if (!type) return undefined;
  const missing = (trait.requires ?? []).filter((cap) => !type.capabilities[cap]);
  if (!missing.length) return undefined;
  return `trait "${name}" does not apply to a ${type.name} component: it needs ${missing.map((m) => NEEDS[m]).join(' and ')}`;
}
