/**
 * Writes schemas/kubemin.schema.json (the editor schema) from the tables, the precompiled
 * validator of the CLI schema (scripts/schema-validator-code.ts), and the editor schema of the
 * plugin example (its plugins' fields included). The test suite checks that they are up to date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { builtinRegistry } from '../src/plugins/builtin.js';
import { PluginResolver } from '../src/plugins/load-plugins.js';
import { buildSchema } from '../src/spec/build-schema.js';
import { buildEditorSchema } from '../src/spec/editor-schema.js';
import { PRECOMPILED_VALIDATOR_PATH, schemaValidatorModule } from './schema-validator-code.js';

const root = join(import.meta.dirname, '..');
const schema = buildSchema(builtinRegistry);
const plugins = new PluginResolver();
const pluginExample = 'examples/plugins/ai-eval';
const withPlugins = buildEditorSchema((await plugins.forDir(join(root, pluginExample))).registry);
await plugins.close();
const files: Array<[string, string]> = [
  ['schemas/kubemin.schema.json', JSON.stringify(buildEditorSchema(builtinRegistry), null, 2) + '\n'],
  [PRECOMPILED_VALIDATOR_PATH, schemaValidatorModule(schema)],
  [`${pluginExample}/.kubemin/schema.json`, JSON.stringify(withPlugins, null, 2) + '\n'],
];
for (const [path, text] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  console.log(`wrote ${join(root, path)}`);
}
