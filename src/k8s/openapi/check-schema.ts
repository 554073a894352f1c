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
  const nodes = resolvedNodes(schema);
  const root = nodes.byName.get(name) ?? nodes.resolve({ r: name });
  nodes.byName.set(name, root);
  walk(nodes, object, root, [], out);
  return out;
}

/**
 * A schema node with its references followed and an object's fields in a Map: made once per node
 * (on first use), as every field of every object is checked here and looking fields up by name
 * in the parsed schema's large objects, and definitions by their long names, cost most of it.
 */
interface Resolved {
  /** The node itself; undefined: a reference that leads nowhere (nothing is checked). */
  readonly node: Exclude<SchemaNode, { r: string }> | undefined;
  /** An object's fields, each resolved on its first use (a schema's references may loop). */
  readonly fields?: Map<string, Resolved | SchemaNode>;
  /** The node's items or additional properties, resolved on first use. */
  next?: Resolved;
}

class ResolvedNode implements Resolved {
  next?: Resolved;
  constructor(
    readonly node: Resolved['node'],
    readonly fields?: Map<string, Resolved | SchemaNode>,
  ) {}
}

interface ResolvedNodes {
  readonly byName: Map<string, Resolved>;
  resolve(node: SchemaNode): Resolved;
}

const resolvedBySchema = new WeakMap<CompactSchema, ResolvedNodes>();

function resolvedNodes(schema: CompactSchema): ResolvedNodes {
  let nodes = resolvedBySchema.get(schema);
  if (nodes) return nodes;
  const cache = new Map<SchemaNode, Resolved>();
  const resolve = (node: SchemaNode): Resolved => {
    let r = cache.get(node);
    if (r) return r;
    let n = node;
    for (let hops = 0; 'r' in n && hops < 8; hops++) n = schema.definitions[n.r] ?? ANY;
    if ('r' in n) r = new ResolvedNode(undefined);
    else if (n.t === 'object' && n.p) r = new ResolvedNode(n, new Map(Object.entries(n.p)));
    else r = new ResolvedNode(n);
    cache.set(node, r);
    return r;
  };
  nodes = { byName: new Map(), resolve };
  resolvedBySchema.set(schema, nodes);
  return nodes;
}

/**
 * `path` is the segments to the value, one array pushed and popped (joined only for a problem:
 * most objects have none). Hot: every field of every object goes through here, so no closure or
 * entry array is made per node.
 */
function walk(nodes: ResolvedNodes, value: unknown, resolved: Resolved, path: Array<string | number>, out: SchemaProblem[]): void {
  if (out.length >= MAX_PROBLEMS) return;
  const n = resolved.node;
  if (n === undefined || value === null) return;
  switch (n.t) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') wrong(value, path, 'a string', out);
      return;
    case 'integer':
      if (!Number.isInteger(value)) wrong(value, path, 'an integer', out);
      return;
    case 'number':
      if (typeof value !== 'number') wrong(value, path, 'a number', out);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong(value, path, 'true or false', out);
      return;
    case 'union':
      if (!n.of.some((t) => (t === 'integer' ? Number.isInteger(value) : typeof value === t))) wrong(value, path, n.of.map((t) => WORDS[t]).join(' or '), out);
      return;
    case 'array': {
      if (!Array.isArray(value)) return wrong(value, path, 'a list', out);
      const item = (resolved.next ??= nodes.resolve(n.i));
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(nodes, value[i], item, path, out);
        path.pop();
      }
      return;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return wrong(value, path, 'a mapping', out);
      const fields = resolved.fields;
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        let field = fields?.get(key);
        if (field === undefined && n.p?.[key] !== undefined) continue; // a name of Object.prototype's ('constructor'): as the schema object answers it, not checked
        if (field !== undefined && !(field instanceof ResolvedNode)) fields!.set(key, (field = nodes.resolve(field as SchemaNode)));
        const next = field ?? (n.a ? (resolved.next ??= nodes.resolve(n.a)) : undefined);
        if (next) {
          path.push(key);
          walk(nodes, object[key], next, path, out);
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

const ANY: SchemaNode = { t: 'any' };

function wrong(value: unknown, path: ReadonlyArray<string | number>, want: string, out: SchemaProblem[]): void {
  const at = joinPointer('', ...path);
  out.push({ path: at, message: `${shown(at)} must be ${want}, not ${typeName(value)}` });
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
