import { closest } from '../../diagnostics/did-you-mean.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { K8sObject } from '../types.js';
import type { CompactSchema, SchemaNode } from './compact-schema.js';
import { k8sSchema } from './schema-data.js';

/** A field of an object that server-side apply would refuse: unknown to the schema, or of the wrong type. */
export interface SchemaProblem {
  /** JSON pointer into the object. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** At most this many problems per object: the first few say enough. */
const MAX_PROBLEMS = 10;

/**
 * The fields of an object the API server's schema does not declare, or whose values have the
 * wrong type: what server-side apply refuses before anything else ("field not declared in
 * schema", "expected numeric, got string"). Objects of kinds the schema does not know (custom
 * resources) are not checked: their schema is the CRD's, in the cluster. Values are never quoted
 * (one may be a secret), only their type.
 */
export function schemaProblems(object: K8sObject, schema: CompactSchema = k8sSchema()): SchemaProblem[] {
  const name = schema.kinds[`${object.apiVersion}/${object.kind}`];
  if (name === undefined) return [];
  const out: SchemaProblem[] = [];
  walk(schema, object, { r: name }, [], out);
  return out;
}

/** Whether the schema knows the object's kind (a built-in kind at a version the API server serves). */
export function isKnownKind(object: Pick<K8sObject, 'apiVersion' | 'kind'>, schema: CompactSchema = k8sSchema()): boolean {
  return schema.kinds[`${object.apiVersion}/${object.kind}`] !== undefined;
}

/** `path` is the segments to the value, one array pushed and popped (joined only for a problem: most objects have none). */
function walk(schema: CompactSchema, value: unknown, node: SchemaNode, path: Array<string | number>, out: SchemaProblem[]): void {
  if (out.length >= MAX_PROBLEMS) return;
  let n = node;
  for (let hops = 0; 'r' in n && hops < 8; hops++) n = schema.definitions[n.r] ?? { t: 'any' };
  if ('r' in n || value === null) return;
  const wrong = (want: string): void => {
    const at = joinPointer('', ...path);
    out.push({ path: at, message: `${shown(at)} must be ${want}, not ${typeName(value)}` });
  };
  switch (n.t) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') wrong('a string');
      return;
    case 'integer':
      if (!Number.isInteger(value)) wrong('an integer');
      return;
    case 'number':
      if (typeof value !== 'number') wrong('a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong('true or false');
      return;
    case 'union':
      if (!n.of.some((t) => (t === 'integer' ? Number.isInteger(value) : typeof value === t))) wrong(n.of.map((t) => WORDS[t]).join(' or '));
      return;
    case 'array':
      if (!Array.isArray(value)) return wrong('a list');
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(schema, value[i], n.i, path, out);
        path.pop();
      }
      return;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return wrong('a mapping');
      for (const [key, v] of Object.entries(value)) {
        const field = n.p?.[key];
        const next = field ?? n.a;
        if (next) {
          path.push(key);
          walk(schema, v, next, path, out);
          path.pop();
        } else {
          const known = Object.keys(n.p ?? {});
          const guess = closest(key, known);
          const at = joinPointer('', ...path, key);
          out.push({
            path: at,
            message: `${shown(at)} is not a field the API server knows here`,
            hint: guess ? `did you mean "${guess}"?` : `the fields here are: ${known.join(', ')}`,
          });
        }
        if (out.length >= MAX_PROBLEMS) return;
      }
      return;
    }
    default: {
      const never: never = n;
      return never;
    }
  }
}

const WORDS = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' } as const;

/** `.spec.template.spec.containers[0].image`, as kubectl and the API server write a field. */
function shown(path: string): string {
  if (!path) return 'the object';
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : `${acc}.${s}`), '');
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return 'true or false';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a fractional number';
  return typeof v;
}
