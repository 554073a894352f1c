import { orList, quote, someOf } from '../../k8s/formats/quote.js';
import type { StepMode, StepSpec } from '../../spec/types.js';
import type { ComponentInfo } from './context.js';
import { JsonObject } from './json-object.js';
import { kubeName } from './names.js';
import type { Problems } from './problems.js';
import type { KcApplication, KcWorkflowStep, KcWorkflowSubStep } from './types.js';

export interface ConvertedWorkflow {
  readonly steps: StepSpec[];
  /** For each step, the place in the input it comes from. */
  readonly origins: string[];
}

/** A component named by a step, and where. */
interface Ref {
  readonly name: string;
  readonly pointer: string;
}

/**
 * KubeMin-Cli's workflow as kubemin steps. KubeMin-Cli runs a step without sub_steps as one
 * execution per component (StepByStep) or all its components at once (DAG); a step with sub_steps
 * runs one execution per sub-step (StepByStep) or all of them at once (DAG), ignoring the step's
 * own components. kubemin's serial step is one phase per component, its parallel step one phase.
 * Without a workflow, KubeMin-Cli deploys one component after another, in order.
 */
export function convertWorkflow(app: JsonObject<KcApplication>, components: readonly ComponentInfo[], problems: Problems): ConvertedWorkflow {
  const input = app.objects<KcWorkflowStep>('workflow', 'a workflow step');
  const w = new WorkflowBuilder(components, problems);
  if (!input?.length) {
    for (const c of defaultOrder(components, app.at('component'), problems)) {
      w.add({ name: c.name, namePointer: c.pointer, refs: [{ name: c.name, pointer: c.pointer }], mode: 'serial', origin: c.pointer });
    }
    return w.result();
  }
  input.forEach((s, i) => convertStep(s, i, w, problems));
  w.addRemaining(app.at('workflow'));
  return w.result();
}

/**
 * Without a workflow, KubeMin-Cli deploys the components one after another in the order written,
 * so a workload written before the ConfigMap or Secret it reads waits for it until it times out;
 * kubemin refuses that order. Configs and secrets go first, each group in the order written.
 */
function defaultOrder(components: readonly ComponentInfo[], pointer: string, problems: Problems): ComponentInfo[] {
  const data = (c: ComponentInfo): boolean => c.type === 'config' || c.type === 'secret';
  const ordered = [...components.filter(data), ...components.filter((c) => !data(c))];
  const moved = ordered.filter((c, i) => data(c) && components.indexOf(c) !== i);
  if (moved.length) {
    problems.warn(
      pointer,
      'config-first',
      `without a workflow, KubeMin-Cli deploys one component after another in the order written: a workload that reads ${orList(
        moved.map((c) => quote(c.name)),
        'or',
      )} but is written before it waits until it times out. kubemin deploys the configs and secrets first`,
    );
  }
  return ordered;
}

function convertStep(s: JsonObject<KcWorkflowStep>, index: number, w: WorkflowBuilder, problems: Problems): void {
  const rawName = s.string('name');
  const name = rawName ?? `step-${index + 1}`;
  if (rawName === undefined) problems.warn(s.pointer, 'generated-name', `the workflow step has no name; kubemin calls it ${quote(name)}`);
  const mode = stepMode(s, problems);
  jobType(s, problems);
  const own = refsOf(s);
  const subs = s.objects<KcWorkflowSubStep>('sub_steps', 'a sub-step') ?? [];
  if (!subs.length) {
    // KubeMin-Cli: a step that names no component deploys the component named like the step.
    const refs = own.length || rawName === undefined ? own : [{ name: rawName, pointer: s.at('name') }];
    w.add({ name, namePointer: s.at('name'), refs, mode, origin: s.pointer });
    s.finish('a workflow step');
    return;
  }
  if (own.length) {
    problems.warn(
      s.at('components'),
      'step-components-with-sub-steps',
      `KubeMin-Cli ignores the components of a step that has sub_steps; kubemin deploys them ${mode === 'parallel' ? 'with the sub-steps' : 'before the sub-steps'}`,
    );
  }
  const subRefs = subs.map((sub, j) => {
    const subName = sub.string('name');
    jobType(sub, problems);
    const refs = refsOf(sub);
    sub.finish('a sub-step');
    return {
      name: subName,
      namePointer: sub.at('name'),
      refs: refs.length || subName === undefined ? refs : [{ name: subName, pointer: sub.at('name') }],
      index: j,
      pointer: sub.pointer,
    };
  });
  if (mode === 'parallel') {
    w.add({ name, namePointer: s.at('name'), refs: [...own, ...subRefs.flatMap((r) => r.refs)], mode, origin: s.pointer });
  } else {
    if (own.length) w.add({ name, namePointer: s.at('name'), refs: own, mode, origin: s.pointer });
    for (const sub of subRefs) {
      const only = sub.refs.length === 1 ? sub.refs[0]?.name.toLowerCase() : undefined;
      w.add({ name: sub.name ?? only ?? `${name}-${sub.index + 1}`, namePointer: sub.namePointer, refs: sub.refs, mode: 'serial', origin: sub.pointer });
    }
  }
  s.finish('a workflow step');
}

/** StepByStep (the default) and DAG; KubeMin-Cli runs anything else StepByStep. */
function stepMode(s: JsonObject<KcWorkflowStep>, problems: Problems): StepMode {
  const mode = s.string('mode');
  if (mode === undefined || mode === 'StepByStep') return 'serial';
  if (mode === 'DAG') return 'parallel';
  problems.warn(
    s.at('mode'),
    'invalid-value',
    `mode ${quote(mode)} is neither StepByStep nor DAG: KubeMin-Cli runs the step StepByStep (modes are case-sensitive)`,
  );
  return 'serial';
}

function jobType(s: JsonObject<{ job_type?: string }>, problems: Problems): void {
  const type = s.string('job_type');
  if (type !== undefined && type !== 'deploy') {
    problems.warn(s.at('job_type'), 'no-equivalent', `job_type ${quote(type)} has no equivalent: the step deploys its components (dropped)`);
  }
}

/** components, then the older properties.policies, without repeats (as KubeMin-Cli merges them). */
function refsOf(s: JsonObject<KcWorkflowStep | KcWorkflowSubStep>): Ref[] {
  const out: Ref[] = [];
  const seen = new Set<string>();
  const add = (names: string[] | undefined, base: string): void =>
    names?.forEach((name, i) => {
      if (name === '' || seen.has(name)) return;
      seen.add(name);
      out.push({ name, pointer: `${base}/${i}` });
    });
  add(s.stringList('components'), s.at('components'));
  const props = s.object<{ policies?: string[] }>('properties');
  if (props) {
    add(props.stringList('policies'), props.at('policies'));
    props.finish('the properties of a workflow step');
  }
  return out;
}

interface StepInput {
  readonly name: string;
  readonly namePointer: string;
  readonly refs: readonly Ref[];
  readonly mode: StepMode;
  readonly origin: string;
}

/** Collects kubemin steps: every component in exactly one, step names unique. */
class WorkflowBuilder {
  private readonly steps: StepSpec[] = [];
  private readonly origins: string[] = [];
  /** Component -> the step that deploys it. */
  private readonly deployed = new Map<string, string>();

  /** The components by the name written in the input, and by kubemin's name (the first of each). */
  private readonly byInputName = new Map<string, ComponentInfo>();
  private readonly byName = new Map<string, ComponentInfo>();

  constructor(
    private readonly components: readonly ComponentInfo[],
    private readonly problems: Problems,
  ) {
    for (const c of components) {
      if (!this.byInputName.has(c.inputName)) this.byInputName.set(c.inputName, c);
      if (!this.byName.has(c.name)) this.byName.set(c.name, c);
    }
  }

  add(step: StepInput): void {
    const names: string[] = [];
    for (const ref of step.refs) {
      const c = this.byInputName.get(ref.name) ?? this.byName.get(ref.name.toLowerCase());
      if (!c) {
        this.problems.warn(ref.pointer, 'unknown-component', `the application has no component ${quote(ref.name)}: KubeMin-Cli skips it (dropped)`);
      } else if (this.deployed.has(c.name)) {
        const by = this.deployed.get(c.name) ?? '';
        this.problems.warn(
          ref.pointer,
          'deployed-twice',
          `component ${quote(c.name)} is already deployed by step ${quote(by)}; kubemin deploys a component once (dropped here)`,
        );
      } else {
        this.deployed.set(c.name, step.name);
        names.push(c.name);
      }
    }
    if (!names.length) {
      this.problems.warn(step.origin, 'empty-step', `workflow step ${quote(step.name)} deploys no component (dropped)`);
      return;
    }
    const name = this.uniqueName(step.name, step.namePointer);
    if (name === undefined) return;
    this.steps.push({ name, components: names, ...(step.mode === 'parallel' ? { mode: 'parallel' as const } : {}) });
    this.origins.push(step.origin);
  }

  /** Components no step names: KubeMin-Cli never deploys them; kubemin deploys every component. */
  addRemaining(pointer: string): void {
    const rest = this.components.filter((c) => !this.deployed.has(c.name));
    if (!rest.length) return;
    const name = this.freeName('remaining');
    this.problems.warn(
      pointer,
      'not-deployed',
      `${rest.length === 1 ? 'component' : 'components'} ${someOf(
        rest.slice(0, 5).map((c) => quote(c.name)),
        rest.length,
        'and',
      )} ${rest.length === 1 ? 'is' : 'are'} in no workflow step, so KubeMin-Cli never deploys ${rest.length === 1 ? 'it' : 'them'}; kubemin deploys every component: ${rest.length === 1 ? 'it is' : 'they are'} deployed last, in a step ${quote(name)} (remove ${rest.length === 1 ? 'it' : 'them'} if not wanted)`,
    );
    this.add({ name, namePointer: pointer, refs: rest.map((c) => ({ name: c.name, pointer: c.pointer })), mode: 'serial', origin: pointer });
  }

  result(): ConvertedWorkflow {
    return { steps: this.steps, origins: this.origins };
  }

  private uniqueName(raw: string, pointer: string): string | undefined {
    const name = kubeName(raw, pointer, this.problems, 'workflow step name');
    if (name === undefined) return undefined;
    const free = this.freeName(name);
    if (free !== name) this.problems.warn(pointer, 'step-renamed', `a workflow step is already named ${quote(name)}; this one is named ${quote(free)}`);
    return free;
  }

  private freeName(name: string): string {
    const taken = new Set(this.steps.map((s) => s.name));
    if (!taken.has(name)) return name;
    for (let n = 2; ; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
  }
}
