import { Option } from 'commander';
import { emitYaml, type JsonValue } from '../bundle/yaml-emit.js';

/** What `-o/--output` names on every command that prints objects or results (kubectl's `-o`). */
export type OutputFormat = 'text' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml'];

/** `-o, --output <format>` with these choices; `text` is the default unless said. */
export function outputOption<T extends string>(choices: readonly T[], defaultValue: T = choices[0]!): Option {
  return new Option('-o, --output <format>', 'output format').choices(choices).default(defaultValue);
}

/** A result as JSON (2 spaces) or YAML (block style, keys in their order), ending with a newline; undefined fields are left out. */
export function formatStructured(format: 'json' | 'yaml', value: unknown): string {
  const json = JSON.stringify(value, null, 2);
  return format === 'json' ? `${json}\n` : emitYaml(JSON.parse(json) as JsonValue);
}
