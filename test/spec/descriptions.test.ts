import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { buildEditorSchema } from '../../src/spec/editor-schema.js';
import { FIELD_DESCRIPTIONS, forEachField } from '../../src/spec/field-descriptions.js';
import type { JsonSchema } from '../../src/spec/json-schema.js';

const schema = buildEditorSchema(builtinRegistry);
const defs = schema.$defs ?? {};

/** Every field of the schema: its place (for the message) and schema. */
function fields(): Array<[string, JsonSchema]> {
  const out: Array<[string, JsonSchema]> = [];
  forEachField({ ...schema, $defs: undefined }, (path, field) => out.push([path, field]));
  for (const [name, def] of Object.entries(defs)) forEachField(def, (path, field) => out.push([`$defs/${name}: ${path}`, field]));
  return out;
}

function describedRef(field: JsonSchema): boolean {
  const target = field.$ref?.replace('#/$defs/', '');
  return target !== undefined && Boolean(defs[target]?.description);
}

describe('descriptions in the editor schema', () => {
  it('every field has one (written in its table, or in src/spec/field-descriptions.ts)', () => {
    const all = fields();
    expect(all.length).toBeGreaterThan(400);
    const missing = all.filter(([, f]) => !f.description && !describedRef(f)).map(([where]) => where);
    expect(missing).toEqual([]);
  });

  it('every $defs entry has one', () => {
    expect(
      Object.entries(defs)
        .filter(([, d]) => !d.description)
        .map(([n]) => n),
    ).toEqual([]);
  });

  it('every entry of FIELD_DESCRIPTIONS names a field that takes it (the table gives none)', () => {
    const unused: string[] = [];
    for (const [def, entries] of Object.entries(FIELD_DESCRIPTIONS)) {
      const given = new Map<string, string[]>();
      if (defs[def]) forEachField(defs[def], (path, f) => given.set(path, [...(given.get(path) ?? []), f.description ?? '']));
      for (const [path, text] of Object.entries(entries)) if (!given.get(path)?.includes(text)) unused.push(`${def}: ${path}`);
    }
    expect(unused).toEqual([]);
  });

  it('a fragment used twice gets each description once (valueFrom.secret and valueFrom.config share one schema)', () => {
    const envs = JSON.stringify(defs['trait.envs']);
    expect(envs).toContain('The key in the Secret.');
    expect(envs).toContain('The key in the ConfigMap.');
  });

  it('each component type and step type is described beside its name, for completion', () => {
    const type = defs.component?.properties?.type;
    expect(type?.enum).toEqual([...builtinRegistry.componentTypes.keys()]);
    expect(type?.markdownEnumDescriptions).toEqual([...builtinRegistry.componentTypes.values()].map((t) => t.description));
    expect(type?.enumDescriptions?.every((d) => d.length > 10)).toBe(true);
    const step = defs.step?.properties?.type;
    expect(step?.enumDescriptions).toEqual([...builtinRegistry.stepTypes.values()].map((t) => t.description));
    for (const t of builtinRegistry.componentTypes.values()) expect(defs[`component.${t.name}`]?.properties?.type?.description).toBe(t.description);
  });
});
