import type { PodSettings } from '../../k8s/types.js';
import { dnsSubdomain, labelMap } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { Labels } from '../../k8s/types.js';
import type { TraitDef } from '../types.js';

/** A node label expression, the simple form of a NodeSelectorRequirement. */
export interface NodeExpression {
  key: string;
  operator: NodeOperator;
  values?: string[];
}

type NodeOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Toleration {
  key?: string;
  operator?: 'Equal' | 'Exists';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

type SpreadPreset = 'zone' | 'host' | 'zone-and-host';
type WhenUnsatisfiable = 'ScheduleAnyway' | 'DoNotSchedule';

interface SpreadSpec {
  across: SpreadPreset;
  maxSkew?: number;
  whenUnsatisfiable?: WhenUnsatisfiable;
}

export interface PlacementSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  spread?: SpreadPreset | SpreadSpec;
  nodeAffinity?: {
    required?: NodeExpression[];
    preferred?: Array<NodeExpression & { weight?: number }>;
  };
  priorityClassName?: string;
}

/** The well-known node labels the presets spread over. */
const TOPOLOGY_KEYS: Readonly<Record<'zone' | 'host', string>> = {
  zone: 'topology.kubernetes.io/zone',
  host: 'kubernetes.io/hostname',
};

/**
 * Soft spreading by default, as the HA settings of Argo CD (preferred anti-affinity per host) and
 * Kubernetes' own cluster-wide defaults (ScheduleAnyway) do: pods go to other zones and hosts while
 * there are any, and are never left Pending because one zone is full or a node is tainted.
 */
const SPREAD_DEFAULTS = { maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' } as const;

const presets: readonly SpreadPreset[] = ['zone', 'host', 'zone-and-host'];

const expression = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['key', 'operator'],
  properties: {
    ...extra,
    key: { type: 'string', format: 'label-key', description: 'A node label, e.g. topology.kubernetes.io/zone.' },
    operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'], description: 'In and NotIn take values; Exists and DoesNotExist take none.' },
    values: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', format: 'label-value' },
      description: 'For In and NotIn: the label values.',
    },
  },
});

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    nodeSelector: { ...labelMap, description: 'Node labels the pods need, e.g. {disktype: ssd}.' },
    tolerations: {
      type: 'array',
      description: 'Taints the pods tolerate (as in a pod spec). A GPU toleration is added by itself, see policies.gpuToleration.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          key: { type: 'string', format: 'label-key', description: 'The taint key; omitted with operator Exists, every taint.' },
          operator: { enum: ['Equal', 'Exists'], description: 'Default Equal (with value); Exists matches any value.' },
          value: { type: 'string', format: 'label-value' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], description: 'Omitted: every effect.' },
          tolerationSeconds: { type: 'integer', description: 'With effect NoExecute: how long the pod stays after the taint appears.' },
        },
      },
    },
    spread: {
      type: ['string', 'object'],
      description:
        "Spread the pods over zones, hosts or both: topologySpreadConstraints on the component's selector labels, maxSkew 1 and ScheduleAnyway unless given ({across, maxSkew, whenUnsatisfiable}).",
      if: { type: 'string' },
      then: { enum: presets },
      else: {
        type: 'object',
        additionalProperties: false,
        required: ['across'],
        properties: {
          across: { enum: presets },
          maxSkew: { type: 'integer', minimum: 1, description: 'How uneven the spread may be (default 1).' },
          whenUnsatisfiable: {
            enum: ['ScheduleAnyway', 'DoNotSchedule'],
            description: 'Default ScheduleAnyway (a preference); DoNotSchedule leaves a pod Pending rather than uneven.',
          },
        },
      },
    },
    nodeAffinity: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: 'Node label expressions: required (all must hold) and preferred (each with a weight).',
      properties: {
        required: { type: 'array', minItems: 1, items: expression(), description: 'The pods only run on nodes where every expression holds.' },
        preferred: {
          type: 'array',
          minItems: 1,
          items: expression({ weight: { type: 'integer', minimum: 1, maximum: 100, description: 'Default 1: how much a node that matches is preferred.' } }),
          description: 'Nodes where an expression holds are preferred, by its weight.',
        },
      },
    },
    priorityClassName: { ...dnsSubdomain, description: 'A PriorityClass of the cluster.' },
  },
};

export const placement: TraitDef<PlacementSpec> = {
  name: 'placement',
  description:
    'Where the pods run: nodeSelector, tolerations, spread over zones and hosts (topologySpreadConstraints), required and preferred node affinity, priorityClassName.',
  scope: 'pod',
  requires: ['podTemplate'],
  schema,
  apply(p, ctx) {
    const pod: PodSettings = {
      ...(p.priorityClassName ? { priorityClassName: p.priorityClassName } : {}),
      ...(p.nodeSelector && Object.keys(p.nodeSelector).length ? { nodeSelector: { ...p.nodeSelector } } : {}),
      ...(p.nodeAffinity ? { affinity: { nodeAffinity: nodeAffinity(p.nodeAffinity) } } : {}),
      ...(p.tolerations?.length ? { tolerations: p.tolerations.map(toleration) } : {}),
      ...(p.spread ? { topologySpreadConstraints: spreadConstraints(p.spread, ctx.component.selector) } : {}),
    };
    return { pod };
  },
};

function requirement(e: NodeExpression): Record<string, unknown> {
  return { key: e.key, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) };
}

function nodeAffinity(a: NonNullable<PlacementSpec['nodeAffinity']>): Record<string, unknown> {
  return {
    ...(a.required ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: a.required.map(requirement) }] } } : {}),
    ...(a.preferred
      ? {
          preferredDuringSchedulingIgnoredDuringExecution: a.preferred.map((e) => ({
            weight: e.weight ?? 1,
            preference: { matchExpressions: [requirement(e)] },
          })),
        }
      : {}),
  };
}

/** Written in the API's key order, so that a diff against the live object reads the same. */
function toleration(t: Toleration): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const) if (t[k] !== undefined) out[k] = t[k];
  return out;
}

/** The constraints of a spread preset, on the component's selector labels. */
function spreadConstraints(spread: SpreadPreset | SpreadSpec, selector: Labels): Array<Record<string, unknown>> {
  const s: SpreadSpec = typeof spread === 'string' ? { across: spread } : spread;
  const keys = s.across === 'zone-and-host' ? [TOPOLOGY_KEYS.zone, TOPOLOGY_KEYS.host] : [TOPOLOGY_KEYS[s.across]];
  return keys.map((topologyKey) => ({
    maxSkew: s.maxSkew ?? SPREAD_DEFAULTS.maxSkew,
    topologyKey,
    whenUnsatisfiable: s.whenUnsatisfiable ?? SPREAD_DEFAULTS.whenUnsatisfiable,
    labelSelector: { matchLabels: { ...selector } },
  }));
}
