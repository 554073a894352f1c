import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/registry.js';
import { buildSchema } from '../../src/spec/build-schema.js';
import { REPO } from '../helpers/tree.js';

describe('JSON Schema', () => {
  const schema = buildSchema(builtinRegistry);

  it('schemas/kubemin.schema.json is up to date with the tables (npm run schema:write)', () => {
    const shipped = readFileSync(join(REPO, 'schemas/kubemin.schema.json'), 'utf8');
    expect(shipped).toBe(JSON.stringify(schema, null, 2) + '\n');
  });

  it('is a valid 2020-12 schema for a plain validator (as editors use it, without kubemin formats)', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    expect(() => ajv.compile(schema)).not.toThrow();
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
