import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { editorSchemaPlace, writeEditorSchema } from '../init/editor-schema-file.js';
import { writeFileAtomically } from '../files/write-file-atomically.js';
import { placeProblems, syntaxProblem } from '../import/kubemin-cli/diagnostics.js';
import { importKubeminCli } from '../import/kubemin-cli/import-kubemin-cli.js';
import { jsonSyntaxError } from '../import/kubemin-cli/json-syntax.js';
import { kubeminCliSecretPointers, kubeminCliSecrets } from '../import/kubemin-cli/secrets.js';
import { SourceSet } from '../load/source-set.js';
import type { SecretSink } from '../secrets/redactor.js';

export interface ImportOptions {
  /** The KubeMin-Cli application, as JSON. */
  readonly file: string;
  /** Write the kubemin.yaml here (replaced atomically), and its editor schema; without it the spec is returned. */
  readonly out?: string | undefined;
  /** Where the input's secret values are registered (the spec holds them; nothing else may show them). */
  readonly secrets?: SecretSink | undefined;
  /** The directory a spec returned (not written) is meant for: its schema comment is relative to it. Default: the current directory. */
  readonly cwd?: string;
}

type ImportOutcome =
  /** The input could not be read (diagnostics say why: exit 2). */
  | { readonly kind: 'unreadable' }
  /** The input is not JSON, or cannot be converted: nothing written (exit 1). */
  | { readonly kind: 'invalid' }
  | { readonly kind: 'stream'; readonly spec: string; readonly schemaRef: string }
  | { readonly kind: 'written'; readonly out: string; readonly schemaFile: string }
  /** The spec could not be written (exit 2). */
  | { readonly kind: 'not-written' };

export interface ImportResult {
  readonly outcome: ImportOutcome;
  /** Every problem, placed at file:line:col in the input (or at the output file). */
  readonly diagnostics: readonly Diagnostic[];
  /** The input (its secret values masked), for code frames. */
  readonly sources: SourceSet;
}

/**
 * `kubemin import kubemin-cli FILE`: reads the JSON, converts it (import-kubemin-cli.ts, pure), and
 * writes the spec with the editor schema it points at, or returns it. Nothing is written when
 * anything could not be converted.
 */
export async function importKubeminCliFile(opts: ImportOptions): Promise<ImportResult> {
  const { file } = opts;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const diagnostic: Diagnostic = { severity: 'error', code: 'cannot-read', message: `cannot read ${file}: ${reason(err)}` };
    return { outcome: { kind: 'unreadable' }, diagnostics: [diagnostic], sources: new SourceSet() };
  }
  const input = { path: file, text };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    // JSON.parse's message quotes the input, which may hold a secret: kubemin's own words instead.
    const placed = syntaxProblem(input, jsonSyntaxError(text));
    return { outcome: { kind: 'invalid' }, ...placed };
  }
  for (const v of kubeminCliSecrets(json)) opts.secrets?.add(v);

  const schema = editorSchemaPlace(opts.out === undefined ? (opts.cwd ?? '.') : dirname(opts.out));
  const result = importKubeminCli(json, { file: basename(file), schemaRef: schema.ref });
  const { diagnostics, sources } = placeProblems(input, result, kubeminCliSecretPointers(json));
  if (hasErrors(diagnostics)) return { outcome: { kind: 'invalid' }, diagnostics, sources };
  if (opts.out === undefined) return { outcome: { kind: 'stream', spec: result.spec, schemaRef: schema.ref }, diagnostics, sources };

  try {
    await writeFileAtomically(opts.out, result.spec, { existing: 'replace' });
  } catch (err) {
    const diagnostic: Diagnostic = { severity: 'error', code: 'cannot-write', message: `cannot write the spec: ${reason(err)}`, file: opts.out };
    return { outcome: { kind: 'not-written' }, diagnostics: [...diagnostics, diagnostic], sources };
  }
  const schemaProblem = await writeEditorSchema(dirname(opts.out), schema).then(
    () => [],
    (err: unknown): Diagnostic[] => [
      {
        severity: 'warning',
        code: 'cannot-write-schema',
        message: `cannot write the editor schema ${schema.file}: ${reason(err)}`,
        hint: `kubemin schema ${dirname(opts.out!)} > ${schema.file} writes it`,
      },
    ],
  );
  return { outcome: { kind: 'written', out: opts.out, schemaFile: schema.file }, diagnostics: [...diagnostics, ...schemaProblem], sources };
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
