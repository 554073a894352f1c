import type { Registry } from '../plugins/registry.js';
import { PromoteError, unknownName } from './promote-error.js';

/** A field of a component to promote, as segments: `image`, `traits.autoscale.minReplicas`. */
export type FieldPath = readonly string[];

/** The fields that say which component it is or whether it runs: never copied between environments. */
const NOT_PROMOTED: Readonly<Record<string, string>> = {
  name: 'the name says which component it is',
  type: 'the type says what the component is, in every environment',
  disabled: 'whether a component runs in an environment is decided there, not promoted',
};

/** Fields every component type has besides its own properties (src/spec/build-schema.ts). */
const COMMON_FIELDS = ['dependsOn', 'labels', 'policies', 'traits'];

export function formatFieldPath(path: FieldPath): string {
  return path.join('.');
}

/**
 * Reads `--fields` values (each a comma-separated list): a component field (`image`, `replicas`,
 * `env`, any field of a component type), or a path into one with dots (`env.LOG_LEVEL`,
 * `traits.autoscale`, `traits.autoscale.minReplicas`). Segments are mapping keys: a list is
 * promoted whole. A field named twice, or inside another one named, counts once.
 */
export function parseFieldPaths(values: readonly string[], registry: Pick<Registry, 'componentTypes' | 'traits'>): FieldPath[] {
  const roots = new Set(COMMON_FIELDS);
  for (const type of registry.componentTypes.values()) for (const key of Object.keys(type.properties)) roots.add(key);
  for (const key of Object.keys(NOT_PROMOTED)) roots.delete(key);
  const traits = registry.traits.map((t) => t.name);

  const paths: FieldPath[] = [];
  for (const item of values.flatMap((v) => v.split(','))) {
    const text = item.trim();
    if (!text) continue;
    const path = text.split('.');
    if (path.some((s) => !s)) throw new PromoteError(`--fields "${text}": an empty segment; write fields as image or traits.autoscale.minReplicas`);
    const root = path[0]!;
    const refused = NOT_PROMOTED[root];
    if (refused) throw new PromoteError(`--fields "${text}": ${root} is not promoted: ${refused}`);
    if (!roots.has(root)) throw unknownName('component field', root, [...roots].sort(), { flag: '--fields' });
    if (root === 'traits' && path.length > 1 && !traits.includes(path[1]!)) throw unknownName('trait', path[1]!, [...traits].sort(), { flag: '--fields' });
    paths.push(path);
  }
  if (!paths.length) throw new PromoteError('--fields names no field: give one or more, e.g. --fields image,replicas');
  // A field inside another one named is promoted with it.
  const covers = (a: FieldPath, b: FieldPath): boolean => a.length <= b.length && a.every((s, i) => s === b[i]);
  const kept: FieldPath[] = [];
  for (const p of paths) {
    if (kept.some((k) => covers(k, p))) continue;
    for (let i = kept.length - 1; i >= 0; i--) if (covers(p, kept[i]!)) kept.splice(i, 1);
    kept.push(p);
  }
  return kept;
}
