/**
 * Writes schemas/kubemin.schema.json (the editor schema) from the tables, and the precompiled
 * validator of the CLI schema (scripts/schema-validator-code.ts). The test suite checks that both
 * are up to date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { builtinRegistry } from '../src/plugins/builtin.js';
import { buildSchema } from '../src/spec/build-schema.js';
import { buildEditorSchema } from '../src/spec/editor-schema.js';
import { PRECOMPILED_VALIDATOR_PATH, schemaValidatorModule } from './schema-validator-code.js';

const root = join(import.meta.dirname, '..');
const schema = buildSchema(builtinRegistry);
const files: Array<[string, string]> = [
  ['schemas/kubemin.schema.json', JSON.stringify(buildEditorSchema(builtinRegistry), null, 2) + '\n'],
  [PRECOMPILED_VALIDATOR_PATH, schemaValidatorModule(schema)],
];
for (const [path, text] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  console.log(`wrote ${join(root, path)}`);
}
