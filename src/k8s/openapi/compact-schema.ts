/**
 * The Kubernetes OpenAPI schema, compacted to what server-side apply checks before anything else:
 * which fields an object may have and the type of each (structured-merge-diff refuses an apply
 * with ".spec.foo: field not declared in schema" or ".spec.replicas: expected numeric (int or
 * float), got string"). Descriptions, defaults, formats and the `required` and `enum` lists are
 * left out: what they say is for the API server's validation, which kubemin's checks and the
 * parity test cover (and `required` there is stricter than the API server).
 */

/** One schema node: a scalar type, a union of them, an object (fields and/or map values), a list, a reference. */
export type SchemaNode =
  | { readonly t: 'string' | 'integer' | 'number' | 'boolean' | 'any' }
  | { readonly t: 'union'; readonly of: ReadonlyArray<'string' | 'integer' | 'number' | 'boolean'> }
  | { readonly t: 'object'; readonly p?: Readonly<Record<string, SchemaNode>>; readonly a?: SchemaNode }
  | { readonly t: 'array'; readonly i: SchemaNode }
  | { readonly r: string };

export interface CompactSchema {
  /** The Kubernetes version the schema was read from. */
  readonly version: string;
  /** `group/version/Kind` (core: `v1/Kind`) -> the name of its definition. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, SchemaNode>>;
}

type OpenApi = Record<string, unknown>;

/** Compacts the `components.schemas` of the OpenAPI v3 documents of every group version the API server serves. */
export function compactOpenApi(version: string, documents: readonly OpenApi[]): CompactSchema {
  const definitions: Record<string, SchemaNode> = {};
  const kinds: Record<string, string> = {};
  for (const doc of documents) {
    const schemas = ((doc.components as OpenApi | undefined)?.schemas ?? {}) as Record<string, OpenApi>;
    for (const [name, schema] of Object.entries(schemas)) {
      definitions[name] = node(schema);
      for (const gvk of (schema['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined) ?? []) {
        kinds[`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`] = name;
      }
    }
  }
  return { version, kinds: sorted(kinds), definitions: sorted(definitions) };
}

const REF = '#/components/schemas/';

function node(s: OpenApi): SchemaNode {
  if (typeof s.$ref === 'string') return { r: s.$ref.slice(REF.length) };
  const allOf = s.allOf as OpenApi[] | undefined;
  if (allOf?.length === 1 && typeof allOf[0]!.$ref === 'string') return { r: (allOf[0]!.$ref as string).slice(REF.length) };
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return { t: 'any' };
  if (s['x-kubernetes-int-or-string'] === true) return { t: 'union', of: ['integer', 'string'] };
  const oneOf = (s.oneOf ?? s.anyOf) as OpenApi[] | undefined;
  if (oneOf?.every((o) => typeof o.type === 'string' && SCALARS.has(o.type as string))) return { t: 'union', of: oneOf.map((o) => o.type as 'string') };
  switch (s.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return { t: s.type };
    case 'array':
      return { t: 'array', i: s.items ? node(s.items as OpenApi) : { t: 'any' } };
    case 'object': {
      const props = s.properties as Record<string, OpenApi> | undefined;
      const extra = s.additionalProperties;
      if (!props && (extra === undefined || extra === true)) return { t: 'any' };
      return {
        t: 'object',
        ...(props ? { p: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, node(v)])) } : {}),
        ...(extra && typeof extra === 'object' ? { a: node(extra as OpenApi) } : extra === true ? { a: { t: 'any' } } : {}),
      };
    }
    default:
      return { t: 'any' };
  }
}

const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

function sorted<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
