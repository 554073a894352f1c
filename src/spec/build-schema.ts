import type { ComponentTypeDef, TraitDef } from '../expand/types.js';
import type { StepTypeDef } from '../plan/types.js';
import { describeFields } from './field-descriptions.js';
import { annotationMap, dnsLabel, duration, labelMap, policies } from './fragments.js';
import type { JsonSchema } from './json-schema.js';
import { API_VERSION, APP_KIND } from './types.js';

const SCHEMA_ID = 'https://kubemin.dev/schemas/v1alpha1/kubemin.schema.json';

export interface SchemaTables {
  readonly componentTypes: ReadonlyMap<string, ComponentTypeDef>;
  readonly traits: readonly TraitDef[];
  readonly stepTypes: ReadonlyMap<string, StepTypeDef>;
}

/** Definitions every trait schema may reference. */
export const CONTAINER_TRAITS_REF = '#/$defs/containerTraits';

/**
 * The JSON Schema of kubemin.yaml, assembled from the tables: each component type is a closed
 * object of its own fields (dispatched on `type`), with the traits that apply to it.
 */
export function buildSchema(tables: SchemaTables): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const t of tables.traits) defs[traitDef(t.name)] = { description: t.description, ...t.schema };
  defs.containerTraits = traitsObject(
    tables.traits.filter((t) => t.scope === 'container'),
    'Traits of an init or sidecar container.',
  );

  const typeNames = [...tables.componentTypes.keys()];
  defs.component = {
    type: 'object',
    description: 'A part of the application: its type decides what kubemin renders, its traits add to it.',
    required: ['name', 'type'],
    properties: {
      name: { ...dnsLabel, description: 'Component name, unique in the application.' },
      type: { enum: typeNames, description: `The component type: what kubemin renders for it.\n${describeTable(tables.componentTypes)}` },
    },
    allOf: typeNames.map((name) => ({
      if: { properties: { type: { const: name } }, required: ['type'] },
      then: { $ref: `#/$defs/component.${name}` },
    })),
  };
  for (const type of tables.componentTypes.values()) {
    defs[`component.${type.name}`] = componentSchema(type, tables.traits);
  }

  defs.environment = {
    type: 'object',
    description: 'A place the application runs: the base, with a namespace, a cluster, policies and component fields of its own.',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { ...dnsLabel, description: 'Environment name (RFC 1123 label), unique in the application: --env NAME.' },
      namespace: { ...dnsLabel, description: 'Namespace of every object in this environment (default: metadata.namespace).' },
      cluster: {
        type: 'string',
        minLength: 1,
        maxLength: 253,
        description: 'The kubeconfig context diff, apply and watch use for this environment (default: the current context; --context wins).',
      },
      policies: { ...policies, description: 'Merged over the application policies in this environment.' },
      components: {
        type: 'object',
        description:
          'By component name: an RFC 7386 merge patch over the component as written (maps merge, lists are replaced, null removes a field). The result is validated like a component written by hand.',
        additionalProperties: {
          type: 'object',
          properties: {
            disabled: { type: 'boolean', description: 'Not deployed in this environment (refused while an enabled component needs it).' },
          },
        },
      },
    },
  };

  const stepNames = [...tables.stepTypes.keys()];
  defs.step = {
    type: 'object',
    description: 'A phase of the deployment: what it deploys is ready before the next step starts.',
    required: ['name'],
    properties: {
      name: { ...dnsLabel, description: 'Step name, unique in the workflow; names the phase directories.' },
      type: { enum: stepNames, default: stepNames[0], description: `The step type (default ${stepNames[0]}).\n${describeTable(tables.stepTypes)}` },
    },
    allOf: stepNames.map((name, i) => ({
      // The first step type is the default: a step without `type` is one of it.
      if: i === 0 ? { properties: { type: { const: name } } } : { properties: { type: { const: name } }, required: ['type'] },
      then: { $ref: `#/$defs/step.${name}` },
    })),
  };
  for (const step of tables.stepTypes.values()) {
    defs[`step.${step.name}`] = {
      type: 'object',
      description: step.description,
      additionalProperties: false,
      required: ['name', ...(step.required ?? [])],
      properties: {
        name: { type: 'string', description: 'Step name, unique in the workflow; names the phase directories.' },
        type: { const: step.name, description: step.description },
        timeout: { ...duration, description: 'How long the step may take to become ready (default: policies.timeout, else 5m).' },
        ...step.properties,
      },
    };
  }

  return boundIntegers({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'kubemin Application',
    description: 'An application for kubemin: components, their traits, and the workflow that orders their deployment.',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: API_VERSION, description: `The version of the spec format: always ${API_VERSION}.` },
      kind: { const: APP_KIND, description: `The kind of document: always ${APP_KIND}.` },
      metadata: {
        type: 'object',
        description: 'The name and namespace of the application, and labels and annotations for all its objects.',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { ...dnsLabel, description: 'Application name (RFC 1123 label).' },
          namespace: { ...dnsLabel, description: 'Namespace of every object (default "default").' },
          labels: { ...labelMap, description: 'Labels added to every object.' },
          annotations: { ...annotationMap, description: 'Annotations added to every object.' },
        },
      },
      spec: {
        type: 'object',
        description: 'What the application is made of, and in what order it is deployed.',
        additionalProperties: false,
        required: ['components'],
        properties: {
          createNamespace: { type: 'boolean', description: 'Emit the Namespace, in the first phase (default false).' },
          policies: { ...policies, description: 'Application-wide policies; components may override them.' },
          components: {
            type: 'array',
            minItems: 1,
            description: 'The parts of the application, each of a component type (webservice, worker, store, job...) with its traits.',
            items: { $ref: '#/$defs/component' },
          },
          workflow: {
            type: 'object',
            additionalProperties: false,
            required: ['steps'],
            description: 'What is deployed before what. Without it, phases follow dependsOn.',
            properties: {
              steps: {
                type: 'array',
                minItems: 1,
                description: 'The steps in order: each is a phase, deployed and ready before the next starts.',
                items: { $ref: '#/$defs/step' },
              },
            },
          },
          environments: {
            type: 'array',
            minItems: 1,
            description:
              'The places the application runs (dev, staging, production), each the base with a few fields changed. With environments, each is rendered, diffed and applied on its own (--env NAME); the base alone is not.',
            items: { $ref: '#/$defs/environment' },
          },
        },
      },
    },
    $defs: describeFields(defs),
  });
}

/** The largest value of an int32, the type of most integer fields of Kubernetes objects. */
const INT32_MAX = 2_147_483_647;

/**
 * Every integer without a maximum gets INT32_MAX: Kubernetes stores replicas, probe timings,
 * job limits and the like as 32-bit integers and silently wraps larger values (1e12 replicas
 * arrive as -727379968). Plugin fields included; a schema that sets its own maximum keeps it.
 * Returns a copy: the fragments and tables are shared and never changed.
 */
function boundIntegers<T>(node: T): T {
  if (Array.isArray(node)) return node.map(boundIntegers) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = boundIntegers(v);
  const type = (node as JsonSchema).type;
  const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  if (integer && out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = INT32_MAX;
  return out as T;
}

function componentSchema(type: ComponentTypeDef, traits: readonly TraitDef[]): JsonSchema {
  const applicable = traits.filter((t) => (t.requires ?? []).every((cap) => type.capabilities[cap]));
  return {
    type: 'object',
    description: type.description,
    additionalProperties: false,
    required: ['name', 'type', ...(type.required ?? [])],
    properties: {
      name: { type: 'string', description: 'Component name, unique in the application.' },
      type: { const: type.name, description: type.description },
      ...type.properties,
      dependsOn: {
        type: 'array',
        uniqueItems: true,
        items: dnsLabel,
        description: 'Components that must be deployed and ready first.',
      },
      labels: { ...labelMap, description: "Labels added to this component's objects." },
      policies: { ...policies, description: 'Overrides of the application policies for this component.' },
      ...(applicable.length ? { traits: traitsObject(applicable, `Traits of a ${type.name} component.`) } : {}),
    },
  };
}

function traitsObject(traits: readonly TraitDef[], description: string): JsonSchema {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: Object.fromEntries(traits.map((t) => [t.name, { $ref: `#/$defs/${traitDef(t.name)}` }])),
  };
}

function traitDef(name: string): string {
  return `trait.${name}`;
}

function describeTable(table: ReadonlyMap<string, { description: string }>): string {
  return [...table.values()].map((e) => `${(e as { name?: string }).name}: ${e.description}`).join('\n');
}
