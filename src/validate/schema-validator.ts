import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { closest } from '../diagnostics/did-you-mean.js';
import type { PendingDiagnostic } from '../expand/types.js';
import { getAtPointer, joinPointer } from '../load/json-pointer.js';
import { ajvPackage } from '../lazy-packages.js';
import type { JsonSchema } from '../spec/json-schema.js';
import { AJV_OPTIONS, configureAjv, schemaDigest } from './ajv-setup.js';
import { describePointer } from './describe-pointer.js';
import { FORMATS } from './formats.js';
import * as builtin from './precompiled/builtin-schema-validator.js';

export interface SchemaContext {
  /** Trait name -> why it does not apply where it was written, given the component (or undefined). */
  explainTrait(trait: string, component: Record<string, unknown> | undefined, nested: boolean): string | undefined;
  /** Whether the value at a pointer is secret: its value then never appears in a message. */
  isSensitive(root: unknown, pointer: string): boolean;
}

interface SchemaResult {
  readonly diagnostics: PendingDiagnostic[];
  /**
   * The parts of the document that are not known to be valid (JSON pointers): where a value is
   * wrong, a missing field, an unknown key, and the whole of an object whose `type` selects its
   * schema when that `type` is wrong (none of its other fields was checked). Empty when valid.
   */
  readonly invalid: string[];
}

export type SchemaValidator = (value: unknown) => SchemaResult;

/**
 * The validator of a schema; the validator maps every ajv error to a diagnostic with a pointer.
 * The built-in schema's was compiled at build time (precompiled/, `npm run schema:write`); any
 * other (a registry with plugins) is compiled here, once per call.
 */
export function createSchemaValidator(schema: JsonSchema, ctx: SchemaContext): SchemaValidator {
  const validate = validatorOf(schema);
  return (value) => {
    if (validate(value)) return { diagnostics: [], invalid: [] };
    const errors = validate.errors ?? [];
    // An `if` error only says that its `then` failed: the `then`'s own errors say where.
    const parts = errors.filter((e) => e.keyword !== 'if').map(invalidPart);
    return { diagnostics: mapErrors(errors, value, ctx), invalid: [...new Set(parts)].sort() };
  };
}

function validatorOf(schema: JsonSchema): ValidateFunction {
  if (schemaDigest(schema) === builtin.SCHEMA_DIGEST) return builtin.validate;
  // ajv's compiler is loaded here, the first time it is needed (lazy-packages.ts).
  const { Ajv2020 } = ajvPackage();
  return configureAjv(new Ajv2020(AJV_OPTIONS)).compile(schema);
}

/** Objects whose schema is chosen by their `type` (an `if`/`then` per type): components and workflow steps. */
const DISCRIMINATED = /^(\/spec\/components\/\d+|\/spec\/workflow\/steps\/\d+)\/type$/;

/** The part of the document an ajv error shows to be invalid. */
function invalidPart(e: ErrorObject): string {
  let at = e.instancePath;
  if (e.keyword === 'required') at = joinPointer(at, (e.params as { missingProperty: string }).missingProperty);
  else if (e.keyword === 'additionalProperties') at = joinPointer(at, String((e.params as { additionalProperty: string }).additionalProperty));
  else if (e.keyword === 'propertyNames') at = joinPointer(at, String((e.params as { propertyName: string }).propertyName));
  else if (e.propertyName !== undefined) at = joinPointer(at, e.propertyName);
  const discriminated = DISCRIMINATED.exec(at);
  return discriminated ? discriminated[1]! : at;
}

function mapErrors(errors: ErrorObject[], root: unknown, ctx: SchemaContext): PendingDiagnostic[] {
  // Errors inside a failed oneOf/anyOf branch say nothing useful on their own: keep the parent.
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.schemaPath + '/');
  const out: PendingDiagnostic[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (combinators.some((p) => e.schemaPath.startsWith(p))) continue;
    const d = mapError(e, root, ctx);
    if (d) out.push(d);
  }
  return out;
}

function mapError(e: ErrorObject, root: unknown, ctx: SchemaContext): PendingDiagnostic | undefined {
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const at = e.instancePath;
  const shown = (v: unknown): string => (ctx.isSensitive(root, at) ? '(secret value hidden)' : JSON.stringify(v));
  const field = lastSegment(at);
  const error = (code: string, message: string, extra: Partial<PendingDiagnostic> = {}): PendingDiagnostic => ({
    severity: 'error',
    code,
    message,
    pointer: at,
    ...extra,
  });
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const pointer = joinPointer(at, key);
      if (/\/traits$/.test(at)) {
        const nested = /\/(init|sidecar)\/\d+\/traits$/.test(at);
        const component = getAtPointer(root, componentPointer(at)) as Record<string, unknown> | undefined;
        const why = ctx.explainTrait(key, component, nested);
        if (why) return error('trait-not-applicable', why, { pointer, atKey: true });
      }
      const known = Object.keys(parent.properties ?? {});
      const guess = closest(key, known);
      return error('unknown-field', `unknown field "${key}" in ${describePointer(root, at)}`, {
        pointer,
        atKey: true,
        hint: guess ? `did you mean "${guess}"?` : known.length ? `known fields: ${known.join(', ')}` : 'remove it',
      });
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const hint = parent.errorMessage ?? parent.properties?.[missing]?.description;
      return error('missing-field', `missing required field "${missing}" in ${describePointer(root, at)}`, {
        ...(hint ? { hint } : {}),
        atKey: at !== '',
      });
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = String(e.data);
      const guess = ctx.isSensitive(root, at) ? undefined : closest(value, allowed);
      return error('invalid-value', `${describe(field)} is ${shown(e.data)}, which is not one of: ${allowed.join(', ')}`, {
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      });
    }
    case 'const':
      return error(
        'invalid-value',
        parent.errorMessage
          ? `${describe(field)}: ${parent.errorMessage}`
          : `${describe(field)} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
      );
    case 'format': {
      const format = (e.params as { format: string }).format;
      const reason = FORMATS[format]?.(String(e.data));
      const base = reason ?? `is not a valid ${format}`;
      if (/\/propertyNames$/.test(e.schemaPath) || e.propertyName !== undefined) {
        const key = e.propertyName ?? String(e.data);
        return error('invalid-key', `invalid key: ${base}`, { pointer: joinPointer(at, key), atKey: true });
      }
      return error('invalid-value', `${describe(field)}: ${base}`);
    }
    case 'propertyNames':
      return undefined; // the nested format error says it better
    case 'pattern':
      return error('invalid-value', `${describe(field)} ${parent.patternErrorMessage ?? `must match ${parent.pattern}`}`);
    case 'type': {
      const want = [(e.params as { type: string | string[] }).type].flat().map(typeWord).join(' or ');
      const got = typeName(e.data, ctx.isSensitive(root, at));
      return error('wrong-type', parent.errorMessage ? `${describe(field)}: ${parent.errorMessage}` : `${describe(field)} must be ${want}, not ${got}`);
    }
    case 'oneOf':
    case 'anyOf':
    case 'minProperties':
    case 'maxProperties':
      return error('invalid-value', parent.errorMessage ?? `${describe(field)} ${e.message}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum': {
      const limit = (e.params as { limit: number }).limit;
      const bound = e.keyword === 'minimum' ? `at least ${limit}` : e.keyword === 'maximum' ? `at most ${limit}` : `more than ${limit}`;
      return error('invalid-value', `${describe(field)} must be ${bound}, not ${shown(e.data)}`);
    }
    case 'minItems':
    case 'maxItems': {
      const limit = (e.params as { limit: number }).limit;
      const n = `${limit} item${limit === 1 ? '' : 's'}`;
      return error('invalid-value', `${describe(field)} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${n}`);
    }
    case 'minLength':
    case 'maxLength': {
      const limit = (e.params as { limit: number }).limit;
      if (e.keyword === 'minLength' && limit === 1) return error('invalid-value', `${describe(field)} must not be empty`);
      return error('invalid-value', `${describe(field)} must have ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${limit} characters`);
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const repeat = Math.max(i, j);
      return error('duplicate-item', `${describe(field)} lists ${JSON.stringify((e.data as unknown[])[repeat])} twice`, {
        pointer: joinPointer(at, repeat),
        related: [{ message: 'first listed here', pointer: joinPointer(at, Math.min(i, j)) }],
      });
    }
    default:
      return error('invalid-value', `${describe(field)} ${e.message ?? 'is invalid'}`);
  }
}

function describe(field: string | undefined): string {
  return field === undefined ? 'the document' : /^\d+$/.test(field) ? `item ${field}` : `"${field}"`;
}

function lastSegment(pointer: string): string | undefined {
  if (!pointer) return undefined;
  const seg = pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
  return seg;
}

function componentPointer(traitsPointer: string): string {
  const m = /^\/spec\/components\/\d+/.exec(traitsPointer);
  return m ? m[0] : '';
}

function typeWord(t: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  return words[t] ?? t;
}

function typeName(v: unknown, hideValue: boolean): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (hideValue) return `a ${typeof v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `the ${typeof v} ${JSON.stringify(v)}`;
}
