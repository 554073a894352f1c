/**
 * The questions of `kubemin init`, over an Ask: pure apart from the Ask, so that tests script it.
 * Answers given as flags are not asked again.
 */
import type { Registry } from '../plugins/registry.js';
import { DEFAULT_PORT, DEFAULT_SCHEDULE, DEFAULT_TYPE, needsOf, type ComponentAnswer, type InitAnswers } from './answers.js';
import { initTypeNames } from './init-types.js';
import type { Ask } from './ask.js';
import type { GivenAnswers } from './init-flags.js';
import {
  checkAppName,
  checkComponentName,
  checkComponentType,
  checkImage,
  checkNamespace,
  checkParallelLast,
  checkPort,
  checkSchedule,
  parseYesNo,
} from './validate-answers.js';

export interface AskInitOptions {
  readonly registry: Registry;
  readonly given?: GivenAnswers;
  /** Offered as the application name, e.g. from the directory name. */
  readonly defaultName?: string;
}

export async function askInit(ask: Ask, opts: AskInitOptions): Promise<InitAnswers> {
  const given = opts.given ?? {};
  const name = given.name ?? (await ask.ask('Application name', { ...(opts.defaultName ? { default: opts.defaultName } : {}), validate: checkAppName }));
  const namespace = given.namespace ?? (await ask.ask('Namespace', { default: name, validate: checkNamespace }));
  const createNamespace =
    given.createNamespace ??
    parseYesNo(
      await ask.ask(`Create the namespace ${namespace}?`, {
        choices: ['yes', 'no'],
        // An existing, shared namespace is better left alone.
        default: namespace === 'default' || namespace.startsWith('kube-') ? 'no' : 'yes',
      }),
    )!;
  const components = given.components ?? (await askComponents(ask, name, opts.registry));
  const parallelLast =
    given.parallelLast ??
    (components.length < 2
      ? 0
      : Number(
          await ask.ask('How many of the last components deploy together, in parallel (0: each after the one before)', {
            default: '0',
            validate: (v) => checkParallelLast(v, components.length),
          }),
        ));
  return { name, namespace, createNamespace, components, parallelLast };
}

/** Components one by one, until an empty name (after the first). */
async function askComponents(ask: Ask, appName: string, registry: Registry): Promise<ComponentAnswer[]> {
  const components: ComponentAnswer[] = [];
  const types = initTypeNames(registry).map((t) => registry.componentTypes.get(t)!);
  const width = Math.max(...types.map((t) => t.name.length));
  const typeHelp = ['Component types:', ...types.map((t) => `  ${t.name.padEnd(width)}  ${shortDescription(t.description)}`)].join('\n');
  for (;;) {
    const n = components.length + 1;
    const taken = components.map((c) => c.name);
    const first = n === 1;
    let name = await ask.ask(first ? 'Component 1 name' : `Component ${n} name (empty: done)`, {
      ...(first ? { default: appName } : {}),
      validate: (v) => (v === '' && !first ? undefined : checkComponentName(v, { taken, registry })),
    });
    if (name === '') return components;
    const type = await ask.ask(`Type of ${name}`, {
      choices: [...initTypeNames(registry)],
      default: DEFAULT_TYPE,
      ...(first ? { help: typeHelp } : {}),
      validate: (v) => checkComponentType(v, registry),
    });
    const def = registry.componentTypes.get(type)!;
    if (name.length > def.maxNameLength) {
      name = await ask.ask(`A ${type} name may have at most ${def.maxNameLength} characters: name of component ${n}`, {
        validate: (v) => checkComponentName(v, { taken, type, registry }),
      });
    }
    const needs = needsOf(def);
    const lastImage = [...components].reverse().find((c) => c.image !== undefined)?.image;
    const image = needs.image ? await ask.ask(`Image of ${name}`, { ...(lastImage ? { default: lastImage } : {}), validate: checkImage }) : undefined;
    const schedule = needs.schedule
      ? await ask.ask(`Schedule of ${name} (cron, e.g. "0 3 * * *")`, { default: DEFAULT_SCHEDULE, validate: checkSchedule })
      : undefined;
    const port = needs.port ? Number(await ask.ask(`Port of ${name}`, { default: String(DEFAULT_PORT), validate: checkPort })) : undefined;
    components.push({
      name,
      type,
      ...(image !== undefined ? { image } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(schedule !== undefined ? { schedule } : {}),
    });
  }
}

/** The first sentence of a type's description; when long, up to its first ': ' (else ' ('). */
function shortDescription(description: string, max = 72): string {
  const sentence = /^.*?\.(?=\s+[A-Z]|\s*$)/s.exec(description)?.[0] ?? description;
  if (sentence.length <= max) return sentence;
  const colon = sentence.indexOf(': ');
  const paren = sentence.indexOf(' (');
  return colon > 0 ? sentence.slice(0, colon) : paren > 0 ? sentence.slice(0, paren) : sentence;
}
