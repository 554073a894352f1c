import { compile } from '../compile.js';
import type { Registry } from '../plugins/registry.js';
import { DEFAULT_PORT, DEFAULT_SCHEDULE, needsOf } from './answers.js';
import { buildInitSpec } from './build-init-spec.js';

const offered = new WeakMap<Registry, readonly string[]>();

/**
 * The component types `kubemin init` offers: those a spec written from init's questions alone
 * (name, image, port, schedule) compiles for. A type that needs more (k8s-objects: its objects)
 * is written by hand in the spec.
 */
export function initTypeNames(registry: Registry): readonly string[] {
  let names = offered.get(registry);
  if (!names) {
    names = [...registry.componentTypes.values()]
      .filter((type) => {
        const needs = needsOf(type);
        const component = {
          name: 'x',
          type: type.name,
          ...(needs.image ? { image: 'nginx:1.27' } : {}),
          ...(needs.port ? { port: DEFAULT_PORT } : {}),
          ...(needs.schedule ? { schedule: DEFAULT_SCHEDULE } : {}),
        };
        const text = buildInitSpec({ name: 'x', namespace: 'x', createNamespace: false, components: [component], parallelLast: 0 }, { registry });
        return !compile([{ path: 'kubemin.yaml', text }], { registry }).diagnostics.some((d) => d.severity === 'error');
      })
      .map((type) => type.name);
    offered.set(registry, names);
  }
  return names;
}
