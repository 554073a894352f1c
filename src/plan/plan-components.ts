import { closest } from '../diagnostics/did-you-mean.js';
import type { PendingDiagnostic } from '../expand/types.js';
import { joinPointer } from '../load/json-pointer.js';
import type { AppSpec, StepMode } from '../spec/types.js';
import { extensionFailed } from '../expand/expand-app.js';
import { ExtensionError } from '../plugins/extension-error.js';
import type { PhaseDraft, StepTypeDef } from './types.js';

/** A phase before objects are placed in it: which components, and where it was declared. */
export interface PlannedPhase {
  readonly name: string;
  readonly mode: StepMode;
  readonly components: readonly string[];
  /** The workflow step it comes from; undefined when phases follow dependsOn. */
  readonly step: string | undefined;
  readonly stepType: string;
  readonly timeout: string | undefined;
  readonly params?: PhaseDraft['params'];
  /** Pointer of the step, or of the first component of a dependsOn layer. */
  readonly pointer: string;
}

export interface ComponentPlan {
  readonly phases: PlannedPhase[];
  /** Component name -> index in `phases`. */
  readonly phaseOf: ReadonlyMap<string, number>;
  readonly diagnostics: PendingDiagnostic[];
}

/**
 * Orders the components of an app into phases: from the workflow steps when there are any
 * (checking that dependsOn agrees), else from the layers of the dependsOn graph.
 */
export function planComponents(spec: AppSpec, stepTypes: ReadonlyMap<string, StepTypeDef>): ComponentPlan {
  const components = spec.spec.components;
  const index = new Map(components.map((c, i) => [c.name, i]));
  const plan = spec.spec.workflow ? fromWorkflow(spec, stepTypes, index) : fromDependsOn(spec, index);
  plan.diagnostics.push(...duplicatePhaseNames(plan.phases));
  return plan;
}

type MutablePlan = { phases: PlannedPhase[]; phaseOf: Map<string, number>; diagnostics: PendingDiagnostic[] };

function fromWorkflow(spec: AppSpec, stepTypes: ReadonlyMap<string, StepTypeDef>, index: Map<string, number>): MutablePlan {
  const plan: MutablePlan = { phases: [], phaseOf: new Map(), diagnostics: [] };
  const stepOf = new Map<string, string>();
  const [defaultType] = stepTypes.keys();
  spec.spec.workflow!.steps.forEach((step, s) => {
    const pointer = `/spec/workflow/steps/${s}`;
    (step.components ?? []).forEach((name, j) => {
      const at = joinPointer(pointer, 'components', j);
      if (!index.has(name)) {
        plan.diagnostics.push(unknownComponent(name, at, [...index.keys()]));
      } else if (stepOf.has(name)) {
        plan.diagnostics.push({
          severity: 'error',
          code: 'component-in-two-steps',
          message: `component "${name}" is in step "${stepOf.get(name)}" and again in step "${step.name}"`,
          hint: 'deploy each component in exactly one step',
          pointer: at,
        });
      } else stepOf.set(name, step.name);
    });
    const typeName = step.type ?? defaultType!;
    const type = stepTypes.get(typeName)!;
    let planned: ReturnType<StepTypeDef['plan']>;
    try {
      planned = type.plan(step, { pointer, componentNames: [...index.keys()] });
    } catch (err) {
      if (!(err instanceof ExtensionError)) throw err;
      plan.diagnostics.push(extensionFailed(err, `step "${step.name}"`, pointer));
      return;
    }
    plan.diagnostics.push(...(planned.diagnostics ?? []));
    for (const draft of planned.phases) {
      const components = draft.components.filter((c) => index.has(c) && stepOf.get(c) === step.name && !plan.phaseOf.has(c));
      for (const c of components) plan.phaseOf.set(c, plan.phases.length);
      plan.phases.push({ ...draft, components, step: step.name, stepType: typeName, timeout: step.timeout, pointer });
    }
  });
  spec.spec.components.forEach((c, i) => {
    if (!stepOf.has(c.name)) {
      plan.diagnostics.push({
        severity: 'error',
        code: 'component-not-in-workflow',
        message: `component "${c.name}" is not deployed by any workflow step`,
        hint: "add it to a step's components, or remove the component",
        pointer: `/spec/components/${i}/name`,
      });
    }
  });
  // dependsOn must agree with the order the workflow gives.
  spec.spec.components.forEach((c, i) => {
    const mine = plan.phaseOf.get(c.name);
    (c.dependsOn ?? []).forEach((dep, j) => {
      const at = `/spec/components/${i}/dependsOn/${j}`;
      if (!index.has(dep)) {
        plan.diagnostics.push(unknownComponent(dep, at, [...index.keys()]));
        return;
      }
      const theirs = plan.phaseOf.get(dep);
      if (mine === undefined || theirs === undefined || theirs < mine) return;
      const mineStep = plan.phases[mine]!;
      const theirStep = plan.phases[theirs]!;
      plan.diagnostics.push({
        severity: 'error',
        code: 'workflow-depends-on',
        message:
          theirs === mine
            ? `"${c.name}" depends on "${dep}", but the workflow deploys both together in phase "${mineStep.name}"`
            : `"${c.name}" depends on "${dep}", but the workflow deploys "${dep}" later (step "${theirStep.step}") than "${c.name}" (step "${mineStep.step}")`,
        hint: `move "${dep}" to an earlier step than "${c.name}", or drop the dependsOn entry`,
        pointer: at,
        related: [
          { message: `step deploying "${c.name}"`, pointer: mineStep.pointer },
          { message: `step deploying "${dep}"`, pointer: theirStep.pointer },
        ],
      });
    });
  });
  return plan;
}

/** Longest-path layering: a component goes one phase after the latest of its dependencies. */
function fromDependsOn(spec: AppSpec, index: Map<string, number>): MutablePlan {
  const plan: MutablePlan = { phases: [], phaseOf: new Map(), diagnostics: [] };
  const components = spec.spec.components;
  const layer = new Map<string, number>();
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles = new Set<string>();

  const visit = (name: string, path: string[]): number => {
    const known = layer.get(name);
    if (known !== undefined) return known;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const key = [...cycle].slice(0, -1).sort().join(',');
      if (!cycles.has(key)) {
        cycles.add(key);
        const i = index.get(name)!;
        plan.diagnostics.push({
          severity: 'error',
          code: 'depends-on-cycle',
          message: `dependsOn forms a cycle: ${cycle.join(' -> ')}`,
          hint: 'remove one of these dependencies',
          pointer: `/spec/components/${i}/dependsOn`,
        });
      }
      return 0;
    }
    state.set(name, 'visiting');
    const i = index.get(name)!;
    let depth = 0;
    (components[i]!.dependsOn ?? []).forEach((dep, j) => {
      if (!index.has(dep)) {
        plan.diagnostics.push(unknownComponent(dep, `/spec/components/${i}/dependsOn/${j}`, [...index.keys()]));
        return;
      }
      depth = Math.max(depth, visit(dep, [...path, name]) + 1);
    });
    state.set(name, 'done');
    layer.set(name, depth);
    return depth;
  };
  for (const c of components) visit(c.name, []);

  const layers: string[][] = [];
  for (const c of components) (layers[layer.get(c.name)!] ??= []).push(c.name);
  for (const names of layers) {
    if (!names) continue;
    const sorted = [...names].sort();
    for (const n of sorted) plan.phaseOf.set(n, plan.phases.length);
    plan.phases.push({
      name: layerName(sorted),
      mode: 'parallel',
      components: sorted,
      step: undefined,
      stepType: 'deploy',
      timeout: undefined,
      pointer: `/spec/components/${index.get(sorted[0]!)}`,
    });
  }
  return plan;
}

const MAX_LAYER_NAME = 40;

/** A dependsOn layer is named after its components: `redis-settings`, or `api-and-3-more`. */
function layerName(sorted: string[]): string {
  const joined = sorted.join('-');
  if (joined.length <= MAX_LAYER_NAME) return joined;
  return `${sorted[0]}-and-${sorted.length - 1}-more`;
}

function duplicatePhaseNames(phases: readonly PlannedPhase[]): PendingDiagnostic[] {
  const seen = new Map<string, PlannedPhase>();
  const out: PendingDiagnostic[] = [];
  for (const p of phases) {
    const prev = seen.get(p.name);
    if (prev && p.step !== undefined && prev.step !== p.step) {
      out.push({
        severity: 'error',
        code: 'duplicate-phase-name',
        message: `two phases are named "${p.name}" (from steps "${prev.step}" and "${p.step}")`,
        hint: "rename one of the steps; a serial step's phases are named <step>-<component>",
        pointer: joinPointer(p.pointer, 'name'),
        related: [{ message: 'the other step', pointer: joinPointer(prev.pointer, 'name') }],
      });
    }
    seen.set(p.name, p);
  }
  return out;
}

/** A step or dependsOn names a component the app does not have. */
export function unknownComponent(name: string, pointer: string, known: readonly string[]): PendingDiagnostic {
  const guess = closest(name, known);
  return {
    severity: 'error',
    code: 'unknown-component',
    message: `there is no component "${name}" in this application`,
    ...(guess ? { hint: `did you mean "${guess}"?` } : { hint: `components: ${known.join(', ')}` }),
    pointer,
  };
}
