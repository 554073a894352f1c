import type { ExpandedObject, ExpandResult } from '../expand/expand-app.js';
import { resolvePolicies } from '../expand/expand-app.js';
import { parseDuration } from '../k8s/formats/duration.js';
import type { AppSpec, StepMode } from '../spec/types.js';
import { compareObjects } from './kind-order.js';
import type { ComponentPlan, PlannedPhase } from './plan-components.js';

/** One phase of the bundle: applied together, and ready, before the next one starts. */
export interface Phase {
  /** 1-based, as in the directory name `NN-<name>`. */
  readonly index: number;
  readonly name: string;
  readonly step: string | undefined;
  readonly stepType: string;
  readonly mode: StepMode;
  readonly timeout: string;
  readonly retries: number;
  readonly components: readonly string[];
  /** The step type's parameters for its executor (see PhaseDraft). */
  readonly params?: PlannedPhase['params'];
  /** In apply order: kind order, then name. */
  readonly objects: readonly ExpandedObject[];
}

/** `03-app`: how reports name a phase (the bundle directory pads wider past 99 phases). */
export function phaseLabel(p: { readonly index: number; readonly name: string }): string {
  return `${String(p.index).padStart(2, '0')}-${p.name}`;
}

/** The phase of app-level objects (the Namespace), applied before any component. */
const NAMESPACE_PHASE = 'namespace';

/** Places every expanded object in the phase of its component and orders each phase. */
export function planPhases(spec: AppSpec, expanded: ExpandResult, plan: ComponentPlan): Phase[] {
  const byComponent = new Map<string, ExpandedObject[]>();
  const appLevel: ExpandedObject[] = [];
  for (const o of expanded.objects) {
    if (o.component === undefined) appLevel.push(o);
    else {
      const list = byComponent.get(o.component);
      if (list) list.push(o);
      else byComponent.set(o.component, [o]);
    }
  }
  const policiesOf = new Map(spec.spec.components.map((c) => [c.name, resolvePolicies(expanded.app.policies, c.policies)]));
  const phases: Phase[] = [];
  if (appLevel.length) {
    phases.push({
      index: 1,
      name: NAMESPACE_PHASE,
      step: undefined,
      stepType: 'deploy',
      mode: 'parallel',
      timeout: expanded.app.policies.timeout,
      retries: expanded.app.policies.retries,
      components: [],
      objects: sortObjects(appLevel),
    });
  }
  for (const p of plan.phases) {
    const policies = p.components.map((c) => policiesOf.get(c) ?? expanded.app.policies);
    phases.push({
      index: phases.length + 1,
      name: p.name,
      step: p.step,
      stepType: p.stepType,
      mode: p.mode,
      timeout: p.timeout ?? longest(policies.map((x) => x.timeout)) ?? expanded.app.policies.timeout,
      retries: policies.length ? Math.max(...policies.map((x) => x.retries)) : expanded.app.policies.retries,
      components: p.components,
      ...(p.params ? { params: p.params } : {}),
      objects: sortObjects(p.components.flatMap((c) => byComponent.get(c) ?? [])),
    });
  }
  return phases;
}

function sortObjects(objects: ExpandedObject[]): ExpandedObject[] {
  return objects.sort((a, b) => compareObjects(a.object, b.object));
}

/** The longest of a phase's component timeouts: each component gets at least its own. */
function longest(durations: string[]): string | undefined {
  // One component (the usual phase): its own, without parsing it.
  if (durations.length === 1) return durations[0];
  let best: string | undefined;
  let bestMs = -1;
  for (const d of durations) {
    const ms = parseDuration(d) ?? 0;
    if (ms > bestMs) {
      best = d;
      bestMs = ms;
    }
  }
  return best;
}
