import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type * as Ajv from 'ajv/dist/2020.js';

/**
 * Packages the compiler loads only when it needs them, so that a command that does not is not
 * slower to start (each costs about 30 ms to load):
 *
 * - `yaml`: the second, exact parse of a spec file, for positions of diagnostics, secret values'
 *   ranges and syntax errors (src/load/); a valid spec without secrets never needs it;
 * - `ajv`'s compiler: a schema other than the built-in one, whose validator is precompiled (a
 *   registry with plugins: src/validate/schema-validator.ts).
 *
 * Both are CommonJS for node, so require() loads them synchronously, as the pure compiler needs.
 * Each is named by a literal `require(...)` for bundles, which have a require and include what it
 * names (esbuild: the Action's dist/ has no node_modules); node's ES modules have none, hence
 * createRequire there.
 */
const nodeRequire = (id: string): unknown => createRequire(import.meta.url)(id);

let yaml: typeof Yaml | undefined;
let ajv: typeof Ajv | undefined;

export function yamlPackage(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require() for bundles (see above)
  yaml ??= (typeof require === 'function' ? require('yaml') : nodeRequire('yaml')) as typeof Yaml;
  return yaml;
}

export function ajvPackage(): typeof Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require() for bundles (see above)
  ajv ??= (typeof require === 'function' ? require('ajv/dist/2020.js') : nodeRequire('ajv/dist/2020.js')) as typeof Ajv;
  return ajv;
}
