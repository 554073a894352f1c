/**
 * Checks of single answers, as they are typed (and of flag values): each returns undefined when
 * the value is acceptable, else the reason. `validateAnswers` checks a whole answer set.
 */
import { checkCronSchedule } from '../k8s/formats/cron.js';
import { checkDnsLabel } from '../k8s/formats/names.js';
import { orList, quote } from '../k8s/formats/quote.js';
import type { Registry } from '../plugins/registry.js';
import { needsOf, type ComponentAnswer, type InitAnswers } from './answers.js';
import { checkImageReference } from './image-reference.js';
import { initTypeNames } from './init-types.js';

export const checkAppName = checkDnsLabel;
export const checkNamespace = checkDnsLabel;
export const checkImage = checkImageReference;
export const checkSchedule = checkCronSchedule;

export interface ComponentNameContext {
  /** Names of the components given before this one. */
  readonly taken: readonly string[];
  /** The chosen type, once known: its names may be shorter than 63 characters. */
  readonly type?: string;
  readonly registry: Registry;
}

export function checkComponentName(s: string, ctx: ComponentNameContext): string | undefined {
  const label = checkDnsLabel(s);
  if (label) return label;
  if (ctx.taken.includes(s)) return `there is already a component named ${quote(s)}`;
  if (ctx.type !== undefined) return checkNameFitsType(s, ctx.type, ctx.registry);
  return undefined;
}

/** A store's or a job's name is shorter than 63: Kubernetes derives longer names from it. */
function checkNameFitsType(name: string, type: string, registry: Registry): string | undefined {
  const max = registry.componentTypes.get(type)?.maxNameLength ?? 63;
  return name.length > max ? `a ${type} name may have at most ${max} characters; ${quote(name)} has ${name.length}` : undefined;
}

export function checkComponentType(s: string, registry: Registry): string | undefined {
  const offered = initTypeNames(registry);
  if (offered.includes(s)) return undefined;
  if (registry.componentTypes.has(s))
    return `${quote(s)} needs more than init asks for: write that component in the spec by hand; here choose ${orList([...offered])}`;
  return `${quote(s)} is not a component type; choose ${orList([...offered])}`;
}

export function checkPort(s: string): string | undefined {
  if (!/^[0-9]+$/.test(s)) return `${quote(s)} must be a port number from 1 to 65535`;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? undefined : `${quote(s)} must be a port number from 1 to 65535`;
}

/** 0 or 1 deploy every component in its own step; n > 1 deploys the last n together. */
export function checkParallelLast(s: string, componentCount: number): string | undefined {
  if (!/^[0-9]+$/.test(s) || Number(s) > componentCount) return `${quote(s)} must be a number from 0 to ${componentCount}`;
  return undefined;
}

/** `yes`/`no` (any case, `y`/`n`); undefined when it is neither. */
export function parseYesNo(s: string): boolean | undefined {
  const v = s.trim().toLowerCase();
  if (v === 'y' || v === 'yes') return true;
  if (v === 'n' || v === 'no') return false;
  return undefined;
}

/** Every problem of a complete answer set (each starting with where it is), in order. */
export function validateAnswers(answers: InitAnswers, registry: Registry): string[] {
  const out: string[] = [];
  const push = (where: string, reason: string | undefined): void => void (reason && out.push(`${where}: ${reason}`));
  push('name', checkAppName(answers.name));
  push('namespace', checkNamespace(answers.namespace));
  if (!answers.components.length) out.push('components: give at least one component');
  answers.components.forEach((c, i) => {
    const where = `component ${quote(c.name)}`;
    const typeProblem = checkComponentType(c.type, registry);
    const taken = answers.components.slice(0, i).map((p) => p.name);
    push(where, checkComponentName(c.name, { taken, registry, ...(typeProblem ? {} : { type: c.type }) }));
    push(where, typeProblem);
    if (!typeProblem) out.push(...componentProblems(c, registry).map((p) => `${where}: ${p}`));
  });
  push('parallel', checkParallelLast(String(answers.parallelLast), answers.components.length));
  return out;
}

/** What is wrong with a component of a known type besides its name: image, port, schedule. */
export function componentProblems(c: ComponentAnswer, registry: Registry): string[] {
  const needs = needsOf(registry.componentTypes.get(c.type)!);
  const out: Array<string | undefined> = [];
  const field = (what: string, needed: boolean, value: unknown, check: () => string | undefined): void => {
    if (needed && value === undefined) out.push(`a ${c.type} needs ${what}`);
    else if (!needed && value !== undefined) out.push(`a ${c.type} takes no ${what}`);
    else if (value !== undefined) out.push(check());
  };
  field('image', needs.image, c.image, () => checkImage(c.image!));
  field('port', needs.port, c.port, () => checkPort(String(c.port)));
  field('schedule', needs.schedule, c.schedule, () => checkSchedule(c.schedule!));
  return out.filter((p): p is string => p !== undefined);
}
