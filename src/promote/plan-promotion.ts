import { joinPointer } from '../load/json-pointer.js';
import type { Registry } from '../plugins/registry.js';
import { isUnder, sensitivePointers } from '../spec/sensitive.js';
import { baseComponents, environmentsOf, environmentView, overrideOf, type EnvironmentEntry } from './component-views.js';
import { formatFieldPath, type FieldPath } from './field-paths.js';
import { deepEqual, isPlainObject, type Plain, type PlainObject } from './merge-patch.js';
import { promoteField, valueAt, type OverrideEdit } from './promote-field.js';
import { PromoteError, unknownName } from './promote-error.js';

export interface PromoteRequest {
  readonly from: string;
  readonly to: string;
  /** Only these components (default: every component of the app, in order). */
  readonly components?: readonly string[];
  readonly fields: readonly FieldPath[];
}

/** A field of a component whose value in the target environment changes to the source's. */
interface FieldChange {
  readonly component: string;
  readonly field: FieldPath;
  /** As the target saw it (undefined: not set). */
  readonly before: Plain | undefined;
  readonly after: Plain | undefined;
  /** `set`: the target's override now holds it; `removed`: its override gave way to the base, which holds it. */
  readonly edit: OverrideEdit;
}

/** A field that the target already has as the source has it. */
interface FieldAlready {
  readonly component: string;
  readonly field: FieldPath;
  readonly value: Plain;
}

export type SkipReason = 'disabled-in-source' | 'disabled-in-target';

export interface PromotionPlan {
  readonly app: string;
  /** The components looked at, in the base's order. */
  readonly components: readonly string[];
  readonly from: EnvironmentEntry;
  readonly to: EnvironmentEntry;
  readonly changes: readonly FieldChange[];
  readonly already: readonly FieldAlready[];
  readonly skipped: ReadonlyArray<{ readonly component: string; readonly reason: SkipReason }>;
  /** The target environment's entry as it is to be written: the same as `to.value` when nothing changes. */
  readonly environment: PlainObject;
}

/**
 * What promoting fields from one environment of an app document to another changes: per
 * component, the source's merged value of each field is written into the target's override, as
 * small as it can be (promoteField). Pure; an impossible request is a PromoteError.
 */
export function planPromotion(doc: PlainObject, request: PromoteRequest, opts: { readonly registry: PromoteRegistry }): PromotionPlan {
  const app = String((doc.metadata as PlainObject | undefined)?.name ?? '');
  const environments = environmentsOf(doc);
  if (!environments.length) throw new PromoteError(`application "${app}" has no environments (spec.environments): there is nothing to promote between`);
  const from = findEnvironment(environments, request.from, `application "${app}"`);
  const to = findEnvironment(environments, request.to, `application "${app}"`);
  if (from.name === to.name) throw new PromoteError(`--from and --to both name "${from.name}": promote from one environment to another`);

  const bases = baseComponents(doc);
  const known = [...bases.keys()];
  for (const c of request.components ?? []) if (!bases.has(c)) throw unknownName('component', c, known, { where: `in application "${app}"` });
  const wanted = request.components ? known.filter((c) => request.components!.includes(c)) : known;

  const { stepTypes } = opts.registry;
  const source = environmentView(doc, from, stepTypes);
  const target = environmentView(doc, to, stepTypes);
  const changes: FieldChange[] = [];
  const already: FieldAlready[] = [];
  const skipped: Array<{ component: string; reason: SkipReason }> = [];
  const overrides = new Map<string, PlainObject>();
  const expected = new Map<string, PlainObject>();
  for (const name of wanted) {
    if (source.disabled.has(name)) {
      skipped.push({ component: name, reason: 'disabled-in-source' });
      continue;
    }
    if (target.disabled.has(name)) {
      skipped.push({ component: name, reason: 'disabled-in-target' });
      continue;
    }
    const base = bases.get(name)!;
    const seen = source.components.get(name)!;
    const now = target.components.get(name)!;
    refuseSecrets(name, [seen, now], request.fields, opts.registry);
    const written = overrideOf(to, name);
    let override = written;
    let after = now;
    for (const field of request.fields) {
      const want = valueAt(seen, field);
      const before = valueAt(after, field);
      if (deepEqual(before, want)) {
        if (want !== undefined) already.push({ component: name, field, value: want });
        continue;
      }
      const promoted = promoteField(base, override, field, seen);
      override = promoted.override;
      after = promoted.merged;
      changes.push({ component: name, field, before, after: want, edit: promoted.edit });
    }
    if (deepEqual(override, written)) continue;
    overrides.set(name, withDisabledOf(to, name, override));
    expected.set(name, after);
  }
  const environment = withOverrides(to.value, overrides, known);
  checkPromoted(doc, to, environment, expected, stepTypes);
  return { app, components: wanted, from, to, changes, already, skipped, environment };
}

export type PromoteRegistry = Pick<Registry, 'componentTypes' | 'traits' | 'stepTypes'>;

function findEnvironment(environments: readonly EnvironmentEntry[], name: string, where: string): EnvironmentEntry {
  const found = environments.find((e) => e.name === name);
  if (!found)
    throw unknownName(
      'environment',
      name,
      environments.map((e) => e.name),
      { where: `in ${where}` },
    );
  return found;
}

/** Secret values are never copied between environments, nor shown: such a field is refused. */
function refuseSecrets(component: string, views: readonly PlainObject[], fields: readonly FieldPath[], registry: PromoteRegistry): void {
  const at = '/spec/components/0';
  for (const view of views) {
    const secret = sensitivePointers({ spec: { components: [view] } }, registry);
    if (!secret.length) continue;
    for (const field of fields) {
      const pointer = joinPointer(at, ...field);
      if (secret.some((p) => isUnder(p, [pointer]) || isUnder(pointer, [p]))) {
        throw new PromoteError(
          `component "${component}": ${formatFieldPath(field)} holds secret values, which kubemin never copies between environments nor prints: change them in the target environment by hand`,
        );
      }
    }
  }
}

/** The new override with the written one's `disabled: false`, if it says so, kept first. */
function withDisabledOf(env: EnvironmentEntry, name: string, override: PlainObject): PlainObject {
  const given = isPlainObject(env.value.components) ? env.value.components[name] : undefined;
  return isPlainObject(given) && 'disabled' in given ? { disabled: given.disabled!, ...override } : override;
}

/**
 * The environment entry with these components' overrides; an override left empty goes, and
 * `components` with it. A new override comes before the first one written of a component that
 * follows it in the base (so that the overrides read in the order of the components).
 */
function withOverrides(env: PlainObject, overrides: ReadonlyMap<string, PlainObject>, order: readonly string[]): PlainObject {
  if (!overrides.size) return env;
  const entries = Object.entries(isPlainObject(env.components) ? env.components : {});
  for (const [name, override] of overrides) {
    const at = entries.findIndex(([k]) => k === name);
    if (at >= 0) {
      if (Object.keys(override).length) entries[at] = [name, override];
      else entries.splice(at, 1);
      continue;
    }
    if (!Object.keys(override).length) continue;
    const later = entries.findIndex(([k]) => order.indexOf(k) > order.indexOf(name));
    entries.splice(later === -1 ? entries.length : later, 0, [name, override]);
  }
  const out: PlainObject = { ...env, components: Object.fromEntries(entries) };
  if (!entries.length) delete out.components;
  return out;
}

/** The compiler's own merge of the edited environment gives exactly what was planned: anything else is a bug, and nothing is written. */
function checkPromoted(
  doc: PlainObject,
  to: EnvironmentEntry,
  environment: PlainObject,
  expected: ReadonlyMap<string, PlainObject>,
  stepTypes: PromoteRegistry['stepTypes'],
): void {
  if (!expected.size) return;
  const envs = [...((doc.spec as PlainObject).environments as Plain[])];
  envs[to.index] = environment;
  const edited = { ...doc, spec: { ...(doc.spec as PlainObject), environments: envs } };
  const view = environmentView(edited, { ...to, value: environment }, stepTypes);
  for (const [name, want] of expected) {
    if (!deepEqual(view.components.get(name), want)) throw new Error(`component "${name}" would not be promoted as planned (a bug in kubemin promote)`);
  }
}
