/**
 * The answers given as flags (`--name`, `--component web:webservice:nginx:1.27:8080`, ...): read
 * and checked with the same rules as typed answers. With `--yes` the rest take their defaults.
 */
import { checkDnsLabel } from '../k8s/formats/names.js';
import { quote } from '../k8s/formats/quote.js';
import type { Registry } from '../plugins/registry.js';
import { DEFAULT_PORT, DEFAULT_SCHEDULE, needsOf, type ComponentAnswer, type InitAnswers } from './answers.js';
import { initTypeNames } from './init-types.js';
import {
  checkAppName,
  checkComponentName,
  checkComponentType,
  checkNamespace,
  checkParallelLast,
  componentProblems,
  validateAnswers,
} from './validate-answers.js';

export interface InitFlags {
  readonly name?: string;
  readonly namespace?: string;
  readonly createNamespace?: boolean;
  readonly component?: readonly string[];
  readonly parallel?: string;
}

/** Answers known before any question: each question whose answer is here is skipped. */
export interface GivenAnswers {
  readonly name?: string;
  readonly namespace?: string;
  readonly createNamespace?: boolean;
  readonly components?: readonly ComponentAnswer[];
  readonly parallelLast?: number;
}

export type FlagsRead = { readonly given: GivenAnswers; readonly errors: readonly string[] };

/** Reads the flags: `given` holds the valid ones, `errors` what is wrong with the others (each naming its flag). */
export function readInitFlags(flags: InitFlags, registry: Registry): FlagsRead {
  const errors: string[] = [];
  const check = (flag: string, problem: string | undefined): void => void (problem && errors.push(`${flag}: ${problem}`));
  if (flags.name !== undefined) check('--name', checkAppName(flags.name));
  if (flags.namespace !== undefined) check('--namespace', checkNamespace(flags.namespace));
  const components: ComponentAnswer[] = [];
  for (const spec of flags.component ?? []) {
    const parsed = parseComponentFlag(spec, registry);
    const problems =
      typeof parsed === 'string'
        ? [parsed]
        : [checkComponentName(parsed.name, { taken: components.map((c) => c.name), type: parsed.type, registry }), ...componentProblems(parsed, registry)];
    for (const p of problems) check(`--component ${quote(spec)}`, p);
    if (typeof parsed !== 'string') components.push(parsed);
  }
  let parallelLast: number | undefined;
  if (flags.parallel !== undefined) {
    const count = (flags.component ?? []).length;
    const problem = count ? checkParallelLast(flags.parallel, count) : 'it counts the --component flags: give them too';
    check('--parallel', problem);
    if (!problem) parallelLast = Number(flags.parallel);
  }
  return {
    given: {
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
      ...(flags.createNamespace !== undefined ? { createNamespace: flags.createNamespace } : {}),
      ...(flags.component?.length ? { components } : {}),
      ...(parallelLast !== undefined ? { parallelLast } : {}),
    },
    errors,
  };
}

/**
 * `name:type[:image[:port]]`. The image may contain ':' itself (a tag, a registry port); for a type
 * with a port (webservice, store), a last all-digit segment is the port, so an image whose tag is
 * all digits needs the port after it: `cache:store:redis:7:6379`. Without one the port is 8080;
 * a cronjob's schedule is @daily. Returns the component, or what is wrong.
 */
export function parseComponentFlag(spec: string, registry: Registry): ComponentAnswer | string {
  const [name = '', typeName, ...restParts] = spec.split(':');
  const rest = restParts.length ? restParts.join(':') : undefined;
  const nameProblem = checkDnsLabel(name);
  if (nameProblem) return nameProblem;
  if (typeName === undefined || typeName === '')
    return `give name:type[:image[:port]], e.g. web:webservice:nginx:1.27:8080 (types: ${initTypeNames(registry).join(', ')})`;
  const typeProblem = checkComponentType(typeName, registry);
  if (typeProblem) return typeProblem;
  const needs = needsOf(registry.componentTypes.get(typeName)!);
  let image = rest;
  let port: number | undefined;
  if (needs.port && rest !== undefined) {
    const m = needs.image ? /^(.+):([0-9]+)$/.exec(rest) : /^()([0-9]+)$/.exec(rest);
    if (m) {
      image = needs.image ? m[1] : undefined;
      port = Number(m[2]);
    }
  }
  if (needs.image && (image === undefined || image === '')) return `a ${typeName} needs an image: ${name}:${typeName}:IMAGE${needs.port ? '[:PORT]' : ''}`;
  if (!needs.image && image !== undefined) return `a ${typeName} takes no image: write ${name}:${typeName}`;
  return {
    name,
    type: typeName,
    ...(image !== undefined ? { image } : {}),
    ...(needs.port ? { port: port ?? DEFAULT_PORT } : {}),
    ...(needs.schedule ? { schedule: DEFAULT_SCHEDULE } : {}),
  };
}

export type Completed = { readonly answers: InitAnswers; readonly errors?: undefined } | { readonly answers?: undefined; readonly errors: readonly string[] };

/**
 * For `--yes`: the given answers with defaults for the rest (name: `defaultName`, namespace: the
 * name, no namespace created, all serial), then every answer checked.
 */
export function completeWithDefaults(given: GivenAnswers, opts: { readonly defaultName?: string; readonly registry: Registry }): Completed {
  const name = given.name ?? opts.defaultName;
  const errors: string[] = [];
  if (name === undefined) errors.push('--name is required (the directory name is not a valid application name)');
  if (!given.components?.length) errors.push('give at least one --component name:type[:image[:port]]');
  if (errors.length) return { errors };
  const answers: InitAnswers = {
    name: name!,
    namespace: given.namespace ?? name!,
    createNamespace: given.createNamespace ?? false,
    components: given.components!,
    parallelLast: given.parallelLast ?? 0,
  };
  const problems = validateAnswers(answers, opts.registry);
  return problems.length ? { errors: problems } : { answers };
}
