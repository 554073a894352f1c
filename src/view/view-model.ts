import type { PlanDocument } from '../bundle/emit-bundle.js';
import type { AppDiff } from '../diff/types.js';
import { refKey } from '../k8s/object-ref.js';
import { liveApp, type LiveApp, type LiveObject } from './live-diff.js';

/** Why one phase comes before another: the workflow's order, or a component's `dependsOn`. */
export type EdgeReason = 'order' | 'dependsOn';

interface ViewObject {
  readonly kind: string;
  readonly name: string;
  readonly component: string | null;
  readonly source: string;
  /** With a live diff: what applying would do to it. */
  readonly live?: LiveObject;
}

/** A phase of an app, as the page shows it: a node of the graph and an entry of its list. */
export interface PhaseNode {
  /** Unique in the page: `<app key>--<n>`, safe in an HTML id. */
  readonly id: string;
  /** 1-based position in the workflow. */
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly mode: string;
  readonly timeout: string;
  readonly retries: number;
  readonly components: readonly string[];
  readonly objects: readonly ViewObject[];
  /** With a live diff: how many of its objects applying would change. */
  readonly changes?: number;
}

export interface PhaseEdge {
  readonly from: string;
  readonly to: string;
  /** Sorted; both when the next phase of the workflow also depends on the previous one. */
  readonly reasons: readonly EdgeReason[];
}

export interface AppView {
  /** `<app>`, or `<env>/<app>` for an environment's variant. */
  readonly key: string;
  readonly id: string;
  readonly app: string;
  readonly environment: string | undefined;
  readonly namespace: string;
  readonly source: string;
  readonly phases: readonly PhaseNode[];
  readonly edges: readonly PhaseEdge[];
  /** With `--kubeconfig`: the live diff (an app the diff did not reach has none). */
  readonly live?: LiveApp;
}

/** By app key (as in AppView): component name -> the components it lists in `dependsOn` (CompiledApp.dependsOn). */
type DependsOn = ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;

export interface ViewModelOptions {
  /** Each app's components' `dependsOn`, by app key; without it only the workflow's order links phases. */
  readonly dependsOn?: DependsOn;
  /** Applied to every text shown (the redactor's scrub): no secret value reaches the page. */
  readonly scrub?: (text: string) => string;
  /** Each app's diff with its cluster, by app key. */
  readonly live?: ReadonlyMap<string, AppDiff>;
}

/** The apps of the plans as graphs: phases in workflow order, edges from that order and from `dependsOn`. */
export function viewModel(plans: readonly PlanDocument[], opts: ViewModelOptions = {}): AppView[] {
  const scrub = opts.scrub ?? ((t: string): string => t);
  const used = new Set<string>();
  return plans.map((plan) => {
    const key = plan.environment ? `${plan.environment}/${plan.app}` : plan.app;
    const id = uniqueId(`app-${slug(key)}`, used);
    const diff = opts.live?.get(key);
    const live = diff ? liveApp(diff, scrub) : undefined;
    const phases: PhaseNode[] = plan.phases.map((p, i) => {
      const objects = p.objects.map((o) => {
        const found = live?.objects.get(refKey({ apiVersion: o.apiVersion, kind: o.kind, ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name }));
        return {
          kind: scrub(o.kind),
          name: scrub(o.name),
          component: o.component === null ? null : scrub(o.component),
          source: scrub(o.source),
          ...(found ? { live: found } : {}),
        };
      });
      return {
        id: `${id}--${i + 1}`,
        index: i + 1,
        name: scrub(p.name),
        type: scrub(p.type),
        mode: scrub(p.mode),
        timeout: scrub(p.timeout),
        retries: p.retries,
        components: p.components.map(scrub),
        objects,
        ...(live ? { changes: objects.filter((o) => o.live?.changed).length } : {}),
      };
    });
    const phaseOf = new Map<string, number>();
    plan.phases.forEach((p, i) => p.components.forEach((c) => phaseOf.set(c, i)));
    return {
      key: scrub(key),
      id,
      app: scrub(plan.app),
      environment: plan.environment === undefined ? undefined : scrub(plan.environment),
      namespace: scrub(plan.namespace),
      source: scrub(plan.source),
      phases,
      edges: phaseEdges(phases, phaseOf, opts.dependsOn?.get(key)),
      ...(live ? { live } : {}),
    };
  });
}

function phaseEdges(
  phases: readonly PhaseNode[],
  phaseOf: ReadonlyMap<string, number>,
  dependsOn: Readonly<Record<string, readonly string[]>> | undefined,
): PhaseEdge[] {
  const reasons = new Map<string, Set<EdgeReason>>();
  const add = (from: number, to: number, reason: EdgeReason): void => {
    const k = `${from} ${to}`;
    if (!reasons.has(k)) reasons.set(k, new Set());
    reasons.get(k)!.add(reason);
  };
  for (let i = 1; i < phases.length; i++) add(i - 1, i, 'order');
  for (const [component, deps] of Object.entries(dependsOn ?? {})) {
    const to = phaseOf.get(component);
    for (const dep of deps) {
      const from = phaseOf.get(dep);
      // A dependency in the same phase (or one an environment disabled) draws no edge.
      if (to !== undefined && from !== undefined && from < to) add(from, to, 'dependsOn');
    }
  }
  return [...reasons]
    .map(([k, r]) => {
      const [from, to] = k.split(' ').map(Number) as [number, number];
      return { from, to, reasons: [...r].sort() };
    })
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map((e) => ({ from: phases[e.from]!.id, to: phases[e.to]!.id, reasons: e.reasons }));
}

/** Letters, digits and `-` only (an HTML id and a CSS-safe fragment). */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}
