import { emitYaml } from '../bundle/yaml-emit.js';
import type { ComponentTypeDef } from '../expand/types.js';
import { type Registry } from '../plugins/registry.js';
import { builtinRegistry } from '../plugins/builtin.js';
import { API_VERSION, APP_KIND } from '../spec/types.js';
import type { ComponentAnswer, InitAnswers } from './answers.js';

export interface BuildInitSpecOptions {
  /** What the yaml-language-server comment points at (see editor-schema-file.ts); default .kubemin/schema.json. */
  readonly schemaRef?: string;
  readonly registry?: Registry;
}

/** The editor schema written beside a spec without plugins (editor-schema-file.ts). */
const DEFAULT_SCHEMA_REF = '.kubemin/schema.json';

/** A workflow step as init writes it. */
export interface InitStep {
  readonly name: string;
  readonly components: readonly string[];
  readonly parallel: boolean;
}

/** The fields init asks for itself; other required fields of a type are written empty (`{}`). */
const ASKED_FIELDS = new Set(['image', 'schedule']);

/**
 * The kubemin.yaml text for `answers`: pure, deterministic, laid out like the examples (one
 * component per block, one workflow step per line). Answers are assumed valid (validate-answers.ts);
 * the caller compiles the text before writing it.
 */
export function buildInitSpec(answers: InitAnswers, options: BuildInitSpecOptions = {}): string {
  const registry = options.registry ?? builtinRegistry;
  const lines = [
    `# yaml-language-server: $schema=${options.schemaRef ?? DEFAULT_SCHEMA_REF}`,
    '# Written by `kubemin init`. The format: "The spec format" in the kubemin README; check it with `kubemin validate`.',
    `apiVersion: ${API_VERSION}`,
    `kind: ${APP_KIND}`,
    'metadata:',
    `  name: ${scalar(answers.name)}`,
    `  namespace: ${scalar(answers.namespace)}`,
    'spec:',
    `  createNamespace: ${answers.createNamespace}`,
    '  components:',
    ...answers.components.flatMap((c) => componentLines(c, registry.componentTypes.get(c.type))),
    '  workflow:',
    '    steps:',
    ...initSteps(answers).map((s) => `      - ${stepText(s)}`),
  ];
  return lines.join('\n') + '\n';
}

function componentLines(c: ComponentAnswer, type: ComponentTypeDef | undefined): string[] {
  const lines = [`    - name: ${scalar(c.name)}`, `      type: ${scalar(c.type)}`];
  if (c.image !== undefined) lines.push(`      image: ${scalar(c.image)}`);
  if (c.schedule !== undefined) lines.push(`      schedule: ${scalar(c.schedule)}`);
  if (c.port !== undefined) lines.push(`      ports: [{port: ${c.port}}]`);
  for (const field of type?.required ?? []) {
    if (!ASKED_FIELDS.has(field) && type?.properties[field]?.type === 'object') lines.push(`      ${field}: {}`);
  }
  return lines;
}

/**
 * One serial step per component, in the order given, named after it (so each phase is named after
 * its component); with `parallelLast` > 1, the last ones share one parallel step instead.
 */
export function initSteps(answers: Pick<InitAnswers, 'components' | 'parallelLast'>): InitStep[] {
  const names = answers.components.map((c) => c.name);
  const together = answers.parallelLast > 1 ? Math.min(answers.parallelLast, names.length) : 0;
  const serial = names.slice(0, names.length - together);
  const steps: InitStep[] = serial.map((n) => ({ name: n, components: [n], parallel: false }));
  if (together) steps.push({ name: parallelStepName(names), components: names.slice(serial.length), parallel: true });
  return steps;
}

/** `parallel`, or `parallel-2`... when a component (hence a serial step) already has that name. */
function parallelStepName(componentNames: readonly string[]): string {
  let name = 'parallel';
  for (let i = 2; componentNames.includes(name); i++) name = `parallel-${i}`;
  return name;
}

function stepText(s: InitStep): string {
  const mode = s.parallel ? ', mode: parallel' : '';
  return `{name: ${scalar(s.name)}, components: [${s.components.map(scalar).join(', ')}]${mode}}`;
}

/**
 * One YAML scalar, quoted when YAML (1.1 or 1.2) would not read it back as this string, e.g.
 * `"123"`, `"yes"`, `"@daily"`. Answers are single-line, and names never contain flow indicators.
 */
function scalar(s: string): string {
  return emitYaml(s).slice(0, -1);
}
