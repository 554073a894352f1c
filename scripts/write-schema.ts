/** Writes schemas/kubemin.schema.json from the tables (the test suite checks it is up to date). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRegistry } from '../src/registry.js';
import { buildSchema } from '../src/spec/build-schema.js';

const path = join(import.meta.dirname, '..', 'schemas', 'kubemin.schema.json');
writeFileSync(path, JSON.stringify(buildSchema(builtinRegistry), null, 2) + '\n');
console.log(`wrote ${path}`);
