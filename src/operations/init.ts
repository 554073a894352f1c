import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { InitAnswers } from '../init/answers.js';
import { askInit } from '../init/ask-init.js';
import { InitCancelled, type Ask } from '../init/ask.js';
import { editorSchemaPlace, writeEditorSchema } from '../init/editor-schema-file.js';
import { completeWithDefaults, readInitFlags, type InitFlags } from '../init/init-flags.js';
import { defaultNameFor, planInit } from '../init/plan-init.js';
import { FileExistsError, writeFileAtomically } from '../files/write-file-atomically.js';
import { SourceSet } from '../load/source-set.js';
import { builtinRegistry } from '../plugins/builtin.js';

const SPEC_FILE = 'kubemin.yaml';
const INIT_EXAMPLE = 'kubemin init --yes --name shop --component web:webservice:nginx:1.27:8080';

type Prompt = Ask & { close(): void };

export interface InitOptions {
  /** Directory of the new kubemin.yaml (created if missing). */
  readonly dir: string;
  readonly flags: InitFlags;
  /** Ask nothing: the flags, and defaults for the rest. */
  readonly yes: boolean;
  /** Replace an existing kubemin.yaml. */
  readonly force: boolean;
  /** Opens the questions; undefined when they cannot be asked (stdin is not a terminal). */
  readonly openPrompt?: (() => Prompt | Promise<Prompt>) | undefined;
}

/** Why nothing was written: the user's input (exit 2), a spec init wrote that does not compile (a bug: exit 1), or a cancelled question. */
type InitRefusal = 'input' | 'not-compiled' | 'interrupted' | 'input-ended';

type InitOutcome =
  | {
      readonly kind: 'written';
      readonly file: string;
      /** The editor schema the spec points at (.kubemin/schema.json); its write failing is a warning. */
      readonly schemaFile: string;
      readonly answers: InitAnswers;
      readonly phases: number;
    }
  | {
      readonly kind: 'refused';
      readonly reason: InitRefusal;
      /** Said instead of diagnostics when the questions were cancelled (not a problem of the input). */
      readonly message?: string;
    };

export interface InitResult {
  readonly outcome: InitOutcome;
  /** Every problem, as diagnostics: of the flags and answers (no place), of the new spec (file:line:col). */
  readonly diagnostics: readonly Diagnostic[];
  /** The new spec's text, for code frames. */
  readonly sources: SourceSet;
}

/**
 * `kubemin init`: the answers (from the flags, or asked), the spec they make, compiled before it is
 * written, then written atomically (never over an existing file without `force`), and beside it the
 * editor schema it points at.
 */
export async function init(opts: InitOptions): Promise<InitResult> {
  const file = join(opts.dir, SPEC_FILE);
  const sources = new SourceSet();
  const refuse = (reason: InitRefusal, diagnostics: readonly Diagnostic[]): InitResult => ({ outcome: { kind: 'refused', reason }, diagnostics, sources });
  if (!opts.force && existsSync(file)) return refuse('input', [exists(file)]);
  const read = readInitFlags(opts.flags, builtinRegistry);
  if (read.errors.length)
    return refuse(
      'input',
      read.errors.map((e) => answerProblem('invalid-flag', e)),
    );

  const defaultName = defaultNameFor(opts.dir);
  let answers: InitAnswers;
  if (opts.yes) {
    const completed = completeWithDefaults(read.given, { ...(defaultName ? { defaultName } : {}), registry: builtinRegistry });
    if (completed.errors)
      return refuse(
        'input',
        completed.errors.map((e) => answerProblem('missing-answer', e)),
      );
    answers = completed.answers;
  } else {
    if (!opts.openPrompt) {
      return refuse('input', [
        { ...answerProblem('cannot-ask', 'stdin is not a terminal, so init cannot ask'), hint: `give the answers as flags with --yes, e.g. ${INIT_EXAMPLE}` },
      ]);
    }
    const prompt = await opts.openPrompt();
    try {
      answers = await askInit(prompt, { registry: builtinRegistry, given: read.given, ...(defaultName ? { defaultName } : {}) });
    } catch (err) {
      if (!(err instanceof InitCancelled)) throw err;
      const reason = err.reason === 'interrupt' ? 'interrupted' : 'input-ended';
      return { outcome: { kind: 'refused', reason, message: `${err.message}: nothing was written` }, diagnostics: [], sources };
    } finally {
      prompt.close();
    }
  }

  const schema = editorSchemaPlace(opts.dir);
  const plan = planInit(answers, { file, schemaRef: schema.ref, registry: builtinRegistry });
  const { compiled } = plan;
  if (!plan.ok) {
    const bug = answerProblem('init-bug', 'the new spec does not compile (a bug in kubemin init): nothing was written');
    return { outcome: { kind: 'refused', reason: 'not-compiled' }, diagnostics: [...compiled.diagnostics, bug], sources: compiled.sources };
  }
  try {
    await writeFileAtomically(file, plan.text, { existing: opts.force ? 'replace' : 'keep' });
  } catch (err) {
    if (err instanceof FileExistsError) return refuse('input', [exists(file)]);
    const code = (err as NodeJS.ErrnoException).code;
    if (code) return refuse('input', [{ severity: 'error', code: 'cannot-write', message: `cannot write the spec: ${(err as Error).message}`, file }]);
    throw err;
  }
  const schemaProblem = await writeEditorSchema(opts.dir, schema).then(
    () => [],
    (err: unknown) => [
      {
        severity: 'warning',
        code: 'cannot-write-schema',
        message: `cannot write the editor schema ${schema.file}: ${err instanceof Error ? err.message : String(err)}`,
        hint: `kubemin schema ${opts.dir} > ${schema.file} writes it`,
      } satisfies Diagnostic,
    ],
  );
  const phases = compiled.apps[0]?.phases.length ?? 0;
  return {
    outcome: { kind: 'written', file, schemaFile: schema.file, answers, phases },
    diagnostics: [...compiled.diagnostics, ...schemaProblem],
    sources: compiled.sources,
  };
}

function exists(file: string): Diagnostic {
  return { severity: 'error', code: 'spec-exists', message: `${file} exists already: nothing was written`, hint: '--force replaces it' };
}

/** A problem of a flag or an answer: it has no place in a file, its message names the flag. */
function answerProblem(code: string, message: string): Diagnostic {
  return { severity: 'error', code, message };
}
