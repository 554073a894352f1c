import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CompileResult } from '../compile.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { parseSpecFile } from '../load/parse-spec-file.js';
import { readReferencedFiles } from '../files/read-referenced-files.js';
import { compileSpecs } from './compile-specs.js';
import { loadAndCompile, type LoadOptions } from './load-and-compile.js';
import type { Registry } from '../plugins/registry.js';
import { specSecrets } from '../secrets/spec-secrets.js';
import { editYamlDocument } from '../promote/edit-yaml-document.js';
import { parseFieldPaths } from '../promote/field-paths.js';
import { isPlainObject, type PlainObject } from '../promote/merge-patch.js';
import { planPromotion, type PromoteRequest, type PromotionPlan } from '../promote/plan-promotion.js';
import { PromoteError, unknownName } from '../promote/promote-error.js';
import { specFileDiff } from '../promote/spec-file-diff.js';
import { writeFileAtomically } from '../files/write-file-atomically.js';

export interface PromoteOptions extends Omit<PromoteRequest, 'fields'>, Pick<LoadOptions, 'paths' | 'cwd' | 'secrets'> {
  readonly app: string;
  /** `--fields` as given (comma-separated lists), read with the tables the app's file compiles with. */
  readonly fields: readonly string[];
  /** Show the diff, write nothing. */
  readonly dryRun: boolean;
}

type PromoteOutcome =
  | { readonly kind: 'no-specs' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'nothing'; readonly plan: PromotionPlan; readonly file: string }
  /** The edited file would not compile (its diagnostics are in `compiled`): nothing was written. */
  | { readonly kind: 'would-not-compile'; readonly plan: PromotionPlan; readonly file: string; readonly diff: string }
  | { readonly kind: 'promoted'; readonly plan: PromotionPlan; readonly file: string; readonly diff: string; readonly written: boolean };

export interface PromoteResult {
  /** The specs as found, then (once there is an edit) the edited file compiled. */
  readonly compiled: CompileResult;
  readonly outcome: PromoteOutcome;
}

/**
 * `kubemin promote`: compile the specs, find the app's file and document, plan the promotion,
 * edit the text in place, compile the edited text, and write it (atomically) only when it
 * compiles and this is no dry run. The file is read again right before it is replaced: a file
 * changed meanwhile is not overwritten.
 */
export async function promote(opts: PromoteOptions): Promise<PromoteResult> {
  const cwd = opts.cwd ?? process.cwd();
  const loaded = await loadAndCompile({ paths: opts.paths, cwd, ...(opts.secrets ? { secrets: opts.secrets } : {}) });
  if (loaded.fileCount === 0) return { compiled: loaded, outcome: { kind: 'no-specs' } };
  if (hasErrors(loaded.diagnostics)) return { compiled: loaded, outcome: { kind: 'invalid' } };
  const app = loaded.apps.find((a) => a.name === opts.app);
  if (!app) throw unknownName('application', opts.app, [...new Set(loaded.apps.map((a) => a.name))].sort(), { where: `under ${opts.paths.join(', ')}` });

  const file = app.source.file;
  const path = resolve(cwd, file);
  const text = await readFile(path, 'utf8');
  const { docIndex, value } = findDocument(text, opts.app, file);
  const registry = loaded.pluginsFor(file).registry;
  const plan = planPromotion(value, { ...opts, fields: parseFieldPaths(opts.fields, registry) }, { registry });
  if (!plan.changes.length) return { compiled: loaded, outcome: { kind: 'nothing', plan, file } };

  const edited = editYamlDocument(text, { docIndex, path: ['spec', 'environments', plan.to.index], value: plan.environment });
  const compiled = await compileEdited({ path: file, text: edited }, registry, { cwd, paths: opts.paths }, opts.secrets);
  const diff = specFileDiff(file, text, edited, { before: secretRanges(file, text, registry), after: secretRanges(file, edited, registry) });
  if (hasErrors(compiled.diagnostics)) return { compiled, outcome: { kind: 'would-not-compile', plan, file, diff } };
  if (!opts.dryRun) {
    if ((await readFile(path, 'utf8')) !== text)
      throw new PromoteError(`${file} changed while kubemin promote was editing it: nothing was written; run it again`);
    await writeFileAtomically(path, edited, { existing: 'replace' });
  }
  return { compiled, outcome: { kind: 'promoted', plan, file, diff, written: !opts.dryRun } };
}

/** The document of the file that holds the app (compiled, so there is exactly one). */
function findDocument(text: string, app: string, file: string): { docIndex: number; value: PlainObject } {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (let i = 0; i < list.length; i++) {
    const value = list[i]!.toJS() as unknown;
    if (isPlainObject(value) && isPlainObject(value.metadata) && value.metadata.name === app) return { docIndex: i, value };
  }
  throw new PromoteError(`${file} no longer holds application "${app}" (changed meanwhile?): nothing was written`);
}

/** The edited file compiled on its own, with its directory's plugins and the files it names, as it would be found. */
async function compileEdited(
  file: { path: string; text: string },
  registry: Registry,
  at: { cwd: string; paths: readonly string[] },
  secrets: LoadOptions['secrets'],
): Promise<CompileResult> {
  return compileSpecs([file], { registryFor: () => registry, readReferenced: (refs) => readReferencedFiles(refs, at), secrets });
}

/** Where the secret values of a spec file's text are, to mask them in its diff. */
function secretRanges(file: string, text: string, registry: Registry): Array<[number, number]> {
  return specSecrets(parseSpecFile({ path: file, text }), registry).ranges;
}
