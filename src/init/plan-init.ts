import { basename, resolve } from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import { checkDnsLabel } from '../k8s/formats/names.js';
import type { Registry } from '../plugins/registry.js';
import type { InitAnswers } from './answers.js';
import { buildInitSpec } from './build-init-spec.js';

export interface InitPlan {
  readonly text: string;
  /** The text compiled as `file`: it is written only when this has no error. */
  readonly compiled: CompileResult;
  readonly ok: boolean;
}

/** The spec text for the answers, and what the compiler says of it. Pure. */
export function planInit(answers: InitAnswers, opts: { readonly file: string; readonly schemaRef: string; readonly registry: Registry }): InitPlan {
  const text = buildInitSpec(answers, { schemaRef: opts.schemaRef, registry: opts.registry });
  const compiled = compile([{ path: opts.file, text }], { registry: opts.registry });
  return { text, compiled, ok: !compiled.diagnostics.some((d) => d.severity === 'error') };
}

/** The application name offered for a directory: its name, made a DNS label; undefined if nothing is left. */
export function defaultNameFor(dir: string): string | undefined {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return name && !checkDnsLabel(name) ? name : undefined;
}
