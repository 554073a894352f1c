import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { buildSchema } from '../../src/spec/build-schema.js';
import { buildEditorSchema } from '../../src/spec/editor-schema.js';
import { REPO } from '../helpers/tree.js';

describe('JSON Schema', () => {
  const schema = buildSchema(builtinRegistry);

  const editor = buildEditorSchema(builtinRegistry);

  it('schemas/kubemin.schema.json is the editor schema, up to date with the tables (npm run schema:write)', () => {
    const shipped = readFileSync(join(REPO, 'schemas/kubemin.schema.json'), 'utf8');
    expect(shipped).toBe(JSON.stringify(editor, null, 2) + '\n');
  });

  it('the CLI schema and the editor schema are valid 2020-12 schemas for a plain validator (as editors use them, without kubemin formats)', () => {
    for (const s of [schema, editor]) expect(() => new Ajv2020({ strict: false, validateFormats: false }).compile(s)).not.toThrow();
  });

  it('the editor schema is the CLI schema plus patterns and enum descriptions, nothing else', () => {
    const strip = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(strip);
      if (node === null || typeof node !== 'object') return node;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node))
        if (!['pattern', 'patternErrorMessage', 'enumDescriptions', 'markdownEnumDescriptions'].includes(k)) out[k] = strip(v);
      return out;
    };
    expect(strip(editor)).toEqual(strip(schema));
    // The CLI schema has no pattern for a format: the format's reasons are the message.
    const patterns = (node: unknown): number =>
      node !== null && typeof node === 'object'
        ? Object.entries(node).reduce((n, [k, v]) => n + (k === 'pattern' && typeof (node as { format?: unknown }).format === 'string' ? 1 : patterns(v)), 0)
        : 0;
    expect(patterns(schema)).toBe(0);
    expect(patterns(editor)).toBeGreaterThan(150);
  });

  it('lists every component type and trait from the tables', () => {
    const defs = Object.keys(schema.$defs ?? {});
    for (const t of builtinRegistry.componentTypes.keys()) expect(defs).toContain(`component.${t}`);
    for (const t of builtinRegistry.traits) expect(defs).toContain(`trait.${t.name}`);
  });

  it('offers only the traits a component type can use', () => {
    const job = schema.$defs?.['component.job'];
    const traits = Object.keys(job?.properties?.traits?.properties ?? {});
    expect(traits).toContain('storage');
    expect(traits).not.toContain('ingress');
    expect(traits).not.toContain('autoscale');
    // A config has no pod: of the traits, only patches (on its ConfigMap) applies.
    expect(Object.keys(schema.$defs?.['component.config']?.properties?.traits?.properties ?? {})).toEqual(['patches']);
  });
});
