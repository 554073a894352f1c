import type { ErrorObject } from 'ajv/dist/2020.js';
import { closest } from '../diagnostics/did-you-mean.js';
import { getAtPointer, joinPointer } from '../load/json-pointer.js';
import { ajvPackage } from '../lazy-packages.js';
import type { JsonSchema } from '../spec/json-schema.js';
import { NOTIFICATION_KINDS } from './notification.js';
import type { SinkDefinition } from './sinks/types.js';

const NOTIFY_API_VERSION = 'kubemin.dev/v1alpha1';
const NOTIFY_KIND = 'Notifications';

const OUTCOMES = ['started', 'succeeded', 'failed', 'rejected', 'interrupted', 'drifted', 'corrected', 'push-failed'];

/** Fields of every sink entry, whatever its type. */
function commonProperties(types: readonly string[]): Record<string, JsonSchema> {
  const list = (items: JsonSchema, description: string): JsonSchema => ({ type: 'array', items, minItems: 1, uniqueItems: true, description });
  return {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, description: 'The sink name (logs, metrics)' },
    type: { enum: types, description: 'The sink type' },
    events: list({ enum: NOTIFICATION_KINDS }, 'The events it gets (default: per type)'),
    apps: list({ type: 'string', minLength: 1 }, 'Only these apps (globs on the name or the env/app key)'),
    environments: list({ type: 'string', minLength: 1 }, 'Only these environments (globs)'),
    outcomes: list({ enum: OUTCOMES }, 'Only these outcomes'),
    timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000, description: 'Each request is given up after this long (default 10000)' },
  };
}

/** The config file's schema: the common fields of a sink, and each type's own (an if/then per type). */
export function notifySchema(sinks: ReadonlyMap<string, SinkDefinition<any>>): JsonSchema {
  const types = [...sinks.keys()];
  const common = commonProperties(types);
  return {
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'sinks'],
    properties: {
      apiVersion: { const: NOTIFY_API_VERSION },
      kind: { const: NOTIFY_KIND },
      webViewUrl: { type: 'string', pattern: '^https?://[^\\s?#]+$', description: 'The web view base URL: notifications link to the app page' },
      source: { type: 'string', minLength: 1, description: 'CloudEvents source (default kubemin/<host>)' },
      queueSize: { type: 'integer', minimum: 1, maximum: 1_000_000, description: 'Notifications kept waiting per sink (default 1000)' },
      sinks: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name', 'type'],
          properties: { name: common.name!, type: common.type! },
          allOf: [...sinks.values()].map((d) => ({
            if: { properties: { type: { const: d.type } }, required: ['type'] },
            then: { properties: { ...common, ...d.properties }, required: [...d.required], additionalProperties: false },
          })),
        },
      },
    },
  };
}

export function compileNotifySchema(schema: JsonSchema): (value: unknown) => ErrorObject[] {
  const { Ajv2020 } = ajvPackage();
  const validate = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []));
}

/** A schema problem, placed by pointer (`key`: at the field's key rather than its value). */
export interface SchemaProblem {
  readonly pointer: string;
  readonly key: boolean;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * ajv's errors as problems that say what is wrong and how to fix it. No message quotes a value
 * the user wrote, except the names of types, events and outcomes: the others may be secrets.
 */
export function schemaProblems(errors: readonly ErrorObject[], root: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    const p = problemOf(e, root);
    if (p) out.push(p);
  }
  return out;
}

function problemOf(e: ErrorObject, root: unknown): SchemaProblem | undefined {
  const at = e.instancePath;
  const field = describeField(at, root);
  switch (e.keyword) {
    case 'if':
      return undefined;
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const props = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      const forms = props.includes(`${missing}File`) ? ` (or ${missing}File, ${missing}Env)` : '';
      return {
        pointer: at,
        key: false,
        code: 'notify-missing-field',
        message: `${field} lacks "${missing}"${forms}`,
        hint: `add ${missing}: ${exampleOf(missing)}`,
      };
    }
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const props = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      const pointer = joinPointer(at, extra);
      if (props.includes(`${extra}File`)) {
        return {
          pointer,
          key: true,
          code: 'notify-secret-in-config',
          message: `"${extra}" holds a credential and may not be written in the config`,
          hint: `read it from a file (${extra}File: /path) or an environment variable (${extra}Env: NAME); keep it out of git`,
        };
      }
      const guess = closest(extra, props);
      return {
        pointer,
        key: true,
        code: 'notify-unknown-field',
        message: `unknown field "${extra}" in ${field}`,
        hint: guess ? `did you mean "${guess}"?` : `the fields: ${props.join(', ')}`,
      };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const value = getAtPointer(root, at);
      const written = typeof value === 'string' ? `"${value}"` : 'the value';
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return {
        pointer: at,
        key: false,
        code: 'notify-unknown-value',
        message: `${written} is not a ${field}`,
        hint: guess ? `did you mean "${guess}"?` : `one of: ${allowed.join(', ')}`,
      };
    }
    case 'const':
      return {
        pointer: at,
        key: false,
        code: 'notify-wrong-value',
        message: `${field} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
      };
    case 'type':
      return { pointer: at, key: false, code: 'notify-wrong-type', message: `${field} must be ${article((e.params as { type: string }).type)}` };
    case 'pattern': {
      const description = (e.parentSchema as JsonSchema | undefined)?.description;
      return {
        pointer: at,
        key: false,
        code: 'notify-wrong-form',
        message: `${field} does not have the expected form`,
        ...(description ? { hint: description } : {}),
      };
    }
    default:
      // minItems, minLength, minimum, uniqueItems...: ajv's message names no value.
      return { pointer: at, key: false, code: 'notify-invalid', message: `${field} ${e.message ?? 'is not valid'}` };
  }
}

/** `sinks[1].events[0]` as `events entry 1 of sink "ops-slack"`. */
function describeField(pointer: string, root: unknown): string {
  const seg = pointer.split('/').slice(1);
  if (!seg.length) return 'the config';
  if (seg[0] === 'sinks' && seg[1] !== undefined) {
    const name = getAtPointer(root, `/sinks/${seg[1]}/name`);
    const sink = typeof name === 'string' ? `sink "${name}"` : `sink ${Number(seg[1]) + 1}`;
    if (seg.length === 2) return sink;
    const rest = seg.slice(2);
    const entry = rest[1] !== undefined && /^\d+$/.test(rest[1]) ? ` entry ${Number(rest[1]) + 1}` : '';
    const inner = rest.slice(entry ? 2 : 1);
    return `${inner.length ? `${inner.join('.')} of ` : ''}${rest[0]}${entry} of ${sink}`;
  }
  return seg.join('.');
}

function exampleOf(field: string): string {
  switch (field) {
    case 'apiVersion':
      return NOTIFY_API_VERSION;
    case 'kind':
      return NOTIFY_KIND;
    case 'repository':
      return 'owner/name';
    case 'sinks':
      return '[{ name: ..., type: webhook, urlFile: ... }]';
    default:
      return '...';
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
