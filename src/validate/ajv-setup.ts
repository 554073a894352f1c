import { createHash } from 'node:crypto';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../spec/json-schema.js';
import { FORMATS } from './formats.js';

/**
 * How kubemin's schemas are compiled, in one place: by ajv at run time (a registry with plugins,
 * schema-validator.ts) and into the precompiled validator of the built-in schema (standalone code,
 * scripts/schema-validator-code.ts). The two must agree, or a diagnostic would depend on which
 * one checked the document. No runtime import of ajv here: the precompiled validator imports
 * this module, and loading ajv is what it saves.
 *
 * `inlineRefs: false` compiles each `$ref` target (a trait, a component type) once, as a function
 * of its own, instead of copying it into every place that refers to it: less than half the code
 * and the compile time, the same errors (their `schemaPath` aside, which only tells a `oneOf` or
 * `anyOf` branch's errors, and no branch holds a `$ref`).
 */
export const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  inlineRefs: false,
} as const satisfies Options;

/** Keywords of the schema that only editors read (no validation). */
const EDITOR_KEYWORDS = ['errorMessage', 'patternErrorMessage', 'markdownDescription'];

/** A format as ajv takes it: a string passes when kubemin's check (formats.ts) finds nothing wrong. */
export interface AjvFormat {
  readonly type: 'string';
  validate(s: string): boolean;
}

/** kubemin's formats by name; the precompiled validator refers to them as `ajvFormats[name]`. */
export const AJV_FORMATS: Readonly<Record<string, AjvFormat>> = Object.fromEntries(
  Object.entries(FORMATS).map(([name, check]) => [name, { type: 'string', validate: (s: string) => check(s) === undefined }]),
);

/** Adds kubemin's keywords and formats to an ajv instance made with AJV_OPTIONS. */
export function configureAjv<A extends Ajv2020>(ajv: A): A {
  ajv.addVocabulary(EDITOR_KEYWORDS);
  for (const [name, format] of Object.entries(AJV_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** Identifies a schema by its content: the precompiled validator is used for the schema it was made from, and only for it. */
export function schemaDigest(schema: JsonSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
