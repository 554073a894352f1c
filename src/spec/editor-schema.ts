import { FORMAT_PATTERNS } from '../k8s/formats/patterns.js';
import { buildSchema, type SchemaTables } from './build-schema.js';
import type { JsonSchema } from './json-schema.js';

/**
 * The schema editors get (`kubemin schema`, schemas/kubemin.schema.json, the `.kubemin/schema.json`
 * that init and import write): the schema the CLI validates with, plus what only an editor reads.
 *
 * - A `pattern` beside each of kubemin's formats (src/k8s/formats/patterns.ts): editors ignore formats
 *   they do not know, so without it a name, quantity or duration is unchecked until the CLI runs.
 *   The CLI keeps checking the formats alone, whose reasons say more than "does not match".
 * - The description of each component type and step type beside its name in `type`, which
 *   completion shows (`enumDescriptions`, `markdownEnumDescriptions`).
 *
 * Pure; returns a copy.
 */
export function buildEditorSchema(tables: SchemaTables): JsonSchema {
  const schema = withPatterns(buildSchema(tables));
  const defs = schema.$defs ?? {};
  describeEnum(defs.component, tables.componentTypes);
  describeEnum(defs.step, tables.stepTypes);
  return schema;
}

function describeEnum(def: JsonSchema | undefined, table: ReadonlyMap<string, { readonly description: string }>): void {
  const type = def?.properties?.type;
  if (!type?.enum) return;
  const descriptions = type.enum.map((name) => table.get(String(name))?.description ?? '');
  type.enumDescriptions = descriptions;
  type.markdownEnumDescriptions = descriptions;
}

/** Adds the pattern of its format to every string schema with one of kubemin's formats. */
function withPatterns<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withPatterns) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withPatterns(v);
  const schema = node as JsonSchema;
  const hint = typeof schema.format === 'string' ? FORMAT_PATTERNS[schema.format] : undefined;
  if (hint && schema.pattern === undefined) {
    out.pattern = hint.pattern;
    // Editors show patternErrorMessage, else errorMessage, else the bare pattern.
    if (schema.errorMessage === undefined && schema.patternErrorMessage === undefined) out.patternErrorMessage = `must be ${hint.message}`;
  }
  return out as T;
}
