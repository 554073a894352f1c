import { emitYaml, type JsonValue } from '../bundle/yaml-emit.js';
import type { EmittedObject, TraitOutput } from '../expand/types.js';
import type { StepPlan } from '../plan/types.js';

const KIND = /^[A-Z][A-Za-z0-9]*$/;
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with an object a plugin returned, or undefined when it can go into a bundle. */
export function objectProblem(o: unknown): string | undefined {
  if (!isRecord(o)) return 'an object must be a mapping';
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) return 'the object has no apiVersion';
  if (typeof o.kind !== 'string' || !KIND.test(o.kind)) return `the object's kind ${JSON.stringify(o.kind)} is not a Kubernetes kind`;
  const meta = o.metadata;
  if (!isRecord(meta)) return `${o.kind} has no metadata`;
  if (typeof meta.name !== 'string' || meta.name.length > 253 || !NAME.test(meta.name))
    return `${o.kind} has no valid metadata.name (${JSON.stringify(meta.name)})`;
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !NAME.test(meta.namespace)))
    return `${o.kind} ${meta.name} has an invalid namespace`;
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (map === undefined) continue;
    if (!isRecord(map) || Object.values(map).some((v) => typeof v !== 'string')) return `${o.kind} ${meta.name}: metadata.${field} must map strings to strings`;
  }
  try {
    emitYaml(o as JsonValue);
  } catch (err) {
    return `${o.kind} ${meta.name} cannot be written as YAML (${(err as Error).message.replace(/^emitYaml: /, '')})`;
  }
  return undefined;
}

export function emittedProblem(out: unknown): string | undefined {
  if (!Array.isArray(out)) return 'must return a list of {object, pointer?}';
  for (const e of out) {
    if (!isRecord(e)) return 'must return a list of {object, pointer?}';
    const problem = objectProblem(e.object);
    if (problem) return problem;
    if (e.pointer !== undefined && (typeof e.pointer !== 'string' || (e.pointer !== '' && !e.pointer.startsWith('/'))))
      return `pointer ${JSON.stringify(e.pointer)} is not a JSON pointer`;
  }
  return undefined;
}

export function traitOutputProblem(out: unknown): string | undefined {
  if (!isRecord(out)) return 'must return a trait output (a mapping)';
  const o = out as TraitOutput;
  if (o.objects !== undefined) {
    const problem = emittedProblem(o.objects as EmittedObject[]);
    if (problem) return `objects: ${problem}`;
  }
  if (o.volumes !== undefined) {
    const volumes: unknown = o.volumes;
    if (!Array.isArray(volumes) || volumes.some((v) => !isRecord(v) || !isRecord(v.value) || typeof v.value.name !== 'string' || !NAME.test(v.value.name)))
      return 'volumes: each must be {value: a volume with a valid name, pointer}';
  }
  for (const list of ['initContainers', 'sidecars'] as const) {
    const items = o[list];
    if (items === undefined) continue;
    if (!Array.isArray(items) || items.some((c) => !isRecord(c) || typeof c.name !== 'string' || !NAME.test(c.name)))
      return `${list}: each container needs a valid name`;
  }
  if (o.container !== undefined) {
    if (!isRecord(o.container)) return 'container must be a mapping of changes';
    for (const key of ['securityContext', 'lifecycle'] as const) {
      if (o.container[key] !== undefined && !isRecord(o.container[key])) return `container.${key} must be a mapping`;
    }
  }
  if (o.pod !== undefined) {
    const problem = podProblem(o.pod);
    if (problem) return `pod: ${problem}`;
  }
  return undefined;
}

type FieldShape = 'string' | 'boolean' | 'seconds' | 'mapping' | 'string-map' | 'list-of-mappings' | 'names';

/** The pod-level settings a trait may set (TraitOutput.pod, the same for built-ins and plugins), and their shapes. */
const POD_FIELDS: Readonly<Record<string, FieldShape>> = {
  serviceAccountName: 'string',
  automountServiceAccountToken: 'boolean',
  priorityClassName: 'string',
  terminationGracePeriodSeconds: 'seconds',
  securityContext: 'mapping',
  nodeSelector: 'string-map',
  affinity: 'mapping',
  tolerations: 'list-of-mappings',
  topologySpreadConstraints: 'list-of-mappings',
  imagePullSecrets: 'names',
  labels: 'string-map',
  annotations: 'string-map',
};

function podProblem(pod: unknown): string | undefined {
  if (!isRecord(pod)) return 'must be a mapping of pod-level settings';
  for (const [key, value] of Object.entries(pod)) {
    const shape = POD_FIELDS[key];
    if (shape === undefined) return `unknown pod-level setting "${key}" (known: ${Object.keys(POD_FIELDS).join(', ')})`;
    if (value === undefined) continue;
    const wrong = shapeProblem(shape, value);
    if (wrong) return `${key} ${wrong}`;
  }
  return undefined;
}

function shapeProblem(shape: FieldShape, v: unknown): string | undefined {
  switch (shape) {
    case 'string':
      return typeof v === 'string' && v ? undefined : 'must be a non-empty string';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'seconds':
      return Number.isInteger(v) && (v as number) >= 0 ? undefined : 'must be a whole number of seconds, at least 0';
    case 'mapping':
      return isRecord(v) ? undefined : 'must be a mapping';
    case 'string-map':
      return isRecord(v) && Object.values(v).every((x) => typeof x === 'string') ? undefined : 'must map strings to strings';
    case 'list-of-mappings':
      return Array.isArray(v) && v.every(isRecord) ? undefined : 'must be a list of mappings';
    case 'names':
      return Array.isArray(v) && v.every((x) => isRecord(x) && typeof x.name === 'string' && x.name) ? undefined : 'must be a list of {name}';
    default: {
      const never: never = shape;
      return never;
    }
  }
}

export function stepPlanProblem(out: unknown): string | undefined {
  if (!isRecord(out) || !Array.isArray(out.phases)) return 'must return {phases: [...]}';
  for (const p of (out as unknown as StepPlan).phases) {
    if (!isRecord(p) || typeof p.name !== 'string' || !NAME.test(p.name)) return 'each phase needs a valid name';
    if (p.mode !== 'serial' && p.mode !== 'parallel') return `phase ${p.name}: mode must be serial or parallel`;
    if (!Array.isArray(p.components) || p.components.some((c) => typeof c !== 'string')) return `phase ${p.name}: components must be a list of names`;
  }
  return undefined;
}

const PHASE_RUN_OUTCOMES: ReadonlySet<string> = new Set(['ready', 'failed', 'unschedulable', 'refused', 'timeout', 'interrupted']);

/** What is wrong with what a step type's `execute` returned, or undefined when it is a PhaseRun. */
export function phaseRunProblem(out: unknown): string | undefined {
  if (!isRecord(out)) return 'must return {outcome, objects, reasons}';
  if (typeof out.outcome !== 'string' || !PHASE_RUN_OUTCOMES.has(out.outcome)) return `outcome must be one of ${[...PHASE_RUN_OUTCOMES].join(', ')}`;
  if (!Array.isArray(out.objects) || out.objects.some((o) => !isRecord(o) || !isRecord(o.ref)))
    return 'objects must be a list of object results (each with a ref)';
  if (!Array.isArray(out.reasons) || out.reasons.some((r) => typeof r !== 'string')) return 'reasons must be a list of strings';
  return undefined;
}

const READINESS_STATES: ReadonlySet<string> = new Set(['ready', 'progressing', 'failed', 'unschedulable']);

/** What is wrong with what a readiness rule's `check` returned, or undefined when it is a Readiness. */
export function readinessProblem(out: unknown): string | undefined {
  if (!isRecord(out)) return 'must return {state, message}';
  if (typeof out.state !== 'string' || !READINESS_STATES.has(out.state)) return `state must be one of ${[...READINESS_STATES].join(', ')}`;
  if (typeof out.message !== 'string') return 'message must be a string';
  for (const key of ['reason', 'pod', 'detail'] as const) {
    if (out[key] !== undefined && typeof out[key] !== 'string') return `${key} must be a string`;
  }
  return undefined;
}

/** What is wrong with what a readiness rule's `related` returned, or undefined when it is a list of queries. */
export function relatedQueriesProblem(out: unknown): string | undefined {
  if (!Array.isArray(out)) return 'must return a list of {apiVersion, kind, namespace?, labelSelector?, fieldSelector?}';
  for (const q of out) {
    if (!isRecord(q) || typeof q.apiVersion !== 'string' || !q.apiVersion || typeof q.kind !== 'string' || !KIND.test(q.kind))
      return 'each query needs an apiVersion and a kind';
    for (const key of ['namespace', 'labelSelector', 'fieldSelector'] as const) {
      if (q[key] !== undefined && typeof q[key] !== 'string') return `${key} must be a string`;
    }
  }
  return undefined;
}

const isPointer = (v: unknown): boolean => typeof v === 'string' && (v === '' || v.startsWith('/'));

/**
 * A check of what a trait's hook (envNames, probePorts, mountPaths) returned: a list of items,
 * each with a JSON pointer relative to the trait's value and the fields of the hook.
 */
export function writtenProblem(fields: Readonly<Record<string, 'string' | 'port' | 'pointer' | 'string?' | 'seconds'>>): (out: unknown) => string | undefined {
  const example = Object.keys(fields).join(', ');
  return (out) => {
    if (!Array.isArray(out)) return `must return a list of {${example}, pointer}`;
    for (const item of out) {
      if (!isRecord(item)) return `must return a list of {${example}, pointer}`;
      if (!isPointer(item.pointer)) return `pointer ${JSON.stringify(item.pointer)} is not a JSON pointer (relative to the trait's value: "/0/name")`;
      for (const [key, shape] of Object.entries(fields)) {
        const v = item[key];
        const ok =
          shape === 'string'
            ? typeof v === 'string' && v !== ''
            : shape === 'string?'
              ? v === undefined || typeof v === 'string'
              : shape === 'pointer'
                ? isPointer(v)
                : shape === 'seconds'
                  ? Number.isInteger(v) && (v as number) >= 0
                  : (typeof v === 'string' && v !== '') || (Number.isInteger(v) && (v as number) > 0);
        if (!ok)
          return `${key} ${JSON.stringify(v)} is not ${shape === 'port' ? 'a port (a name or a number)' : shape === 'pointer' ? 'a JSON pointer' : shape === 'seconds' ? 'a whole number of seconds' : 'a string'}`;
      }
    }
    return undefined;
  };
}
