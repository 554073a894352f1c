import type { ComponentTypeDef, ContainerView, PendingDiagnostic, TraitDef, WrittenField } from '../expand/types.js';
import { joinPointer } from '../load/json-pointer.js';
import type { ComponentPlan } from '../plan/plan-components.js';
import type { AppSpec } from '../spec/types.js';

/** The tables a rule may read: what each component type can do, and what each trait adds. */
export interface RuleTables {
  readonly componentTypes: ReadonlyMap<string, ComponentTypeDef>;
  /** In application order. */
  readonly traits: readonly TraitDef[];
}

export interface RuleContext {
  readonly tables: RuleTables;
  /**
   * The workflow planned into phases (computed once, shared by the rules that need it). A rule
   * that uses it declares PLAN_READS among its `reads`.
   */
  readonly plan: ComponentPlan;
}

/** What planning the workflow reads: component names and dependencies, and the workflow. */
export const PLAN_READS: readonly string[] = ['/spec/components/*/name', '/spec/components/*/dependsOn', '/spec/workflow'];

/** A semantic check of one application. One file per rule, one line in the table. */
export interface ValidationRule {
  readonly name: string;
  readonly description: string;
  /**
   * The parts of the document the rule reads, as JSON pointers in which `*` stands for any one
   * key or index (`/spec/components/*` + `/name`). A document with schema errors is still checked by
   * the rules whose parts are all valid: none of its schema errors is at, above or below a part
   * the rule reads. A rule without `reads` runs on schema-valid documents only.
   */
  readonly reads?: readonly string[];
  /** `app` is schema-valid in every part the rule declares it reads (and maybe nowhere else). */
  check(app: AppSpec, ctx: RuleContext): PendingDiagnostic[];
}

/** The hooks through which a rule asks every trait what it adds to a container (TraitDef). */
export type TraitHook = 'envNames' | 'probePorts' | 'mountPaths' | 'preStopSeconds' | 'gracePeriodSeconds';
type HookItem<H extends TraitHook> = ReturnType<NonNullable<TraitDef[H]>>[number];

/**
 * What the traits of a container add, through one hook, in trait order: each item with its
 * pointer made absolute, and `at`, the pointer of the trait's value (`.../traits/probes`). A rule
 * names no trait: a plugin's trait with the hook takes part like a built-in one.
 */
export function fromTraits<H extends TraitHook>(
  container: Pick<ContainerView, 'traits' | 'pointer'>,
  traits: readonly TraitDef[],
  hook: H,
): Array<HookItem<H> & { readonly at: string }> {
  const out: Array<HookItem<H> & { readonly at: string }> = [];
  for (const trait of traits) {
    const props = container.traits?.[trait.name];
    const ask = trait[hook] as ((props: unknown) => Array<HookItem<H>>) | undefined;
    if (props === undefined || !ask) continue;
    const at = joinPointer(container.pointer, 'traits', trait.name);
    for (const item of ask.call(trait, props)) out.push(Object.assign({}, item, { pointer: at + item.pointer, at }));
  }
  return out;
}

/** Where the first trait of a container (in trait order) that wrote a part of the pod wrote it (TraitDef.written), as an absolute pointer. */
export function writtenBy(container: Pick<ContainerView, 'traits' | 'pointer'>, traits: readonly TraitDef[], field: WrittenField): string | undefined {
  for (const trait of traits) {
    const props = container.traits?.[trait.name];
    if (props === undefined || !trait.written) continue;
    const at = trait.written(props, field);
    if (at !== undefined) return joinPointer(container.pointer, 'traits', trait.name) + at;
  }
  return undefined;
}
