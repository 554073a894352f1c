import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { joinPointer } from './json-pointer.js';
import type { SpecFileRead, SpecFiles } from '../expand/types.js';
import { objectSecrets } from '../secrets/object-secrets.js';
import { parseSpecFile, type ParseLimits } from './parse-spec-file.js';
import { resolveReference, type ReadFiles } from './referenced-files.js';
import type { SourceSet } from './source-set.js';

/**
 * The files the specs of one compilation name (raw manifests), as the load edge read them: each
 * parsed once, its syntax errors reported in the file itself (file:line:col), its lines shown in
 * code frames with the data of its Secrets masked, and those values kept as secrets.
 */
export class ReferencedFileSet {
  private readonly parsed = new Map<string, SpecFileRead>();
  /** Problems in the files themselves (syntax), each once. */
  readonly diagnostics: Diagnostic[] = [];
  /** The values of the Secrets written in them. */
  readonly secrets: string[] = [];

  constructor(
    private readonly files: ReadFiles,
    private readonly sources: SourceSet,
    private readonly limits: ParseLimits,
  ) {}

  /** The files as seen from one spec file (paths relative to it). */
  for(specFile: string): SpecFiles {
    return { read: (entry) => this.read(resolveReference(specFile, entry)) };
  }

  private read(path: string): SpecFileRead {
    let read = this.parsed.get(path);
    if (!read) {
      read = this.parse(path);
      this.parsed.set(path, read);
    }
    return read;
  }

  private parse(path: string): SpecFileRead {
    const file = this.files.get(path);
    if (file === undefined) return { ok: false, path, message: 'no such file', reported: false };
    if ('error' in file) return { ok: false, path, message: file.error, reported: false };
    const parsed = parseSpecFile({ path, text: file.text }, this.limits);
    // A file with syntax errors is read by the tolerant parser, so that its code frames mask a Secret's data all the same.
    const broken = parsed.documents.length === 0 && parsed.diagnostics.some((d) => d.code !== 'empty-file');
    const docs = broken ? parsed.locator.tolerantValues().map((value, index) => ({ index, value })) : parsed.documents;
    this.secrets.push(...objectSecrets(docs.map((d) => d.value) as never[]));
    const masks = docs.flatMap((d) => (isSecret(d.value) ? parsed.locator.valueRanges(d.index, secretLeaves(d.value)) : []));
    this.sources.add(parsed.locator, masks);
    // An empty file is the component's problem to tell (it names a file without objects).
    const problems = parsed.diagnostics.filter((d) => d.code !== 'empty-file');
    if (problems.length) {
      this.diagnostics.push(...problems);
      return { ok: false, path, message: 'not valid YAML', reported: true };
    }
    return { ok: true, path, documents: parsed.documents.map((d) => ({ index: d.index, value: d.value })) };
  }
}

/** Each value of a Secret's data and stringData (keys stay readable in code frames). */
function secretLeaves(secret: unknown): string[] {
  const out: string[] = [];
  for (const field of ['data', 'stringData']) {
    const map = (secret as Record<string, unknown>)[field];
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) out.push(...Object.keys(map).map((k) => joinPointer(`/${field}`, k)));
    else if (map !== undefined) out.push(`/${field}`);
  }
  return out;
}

function isSecret(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (v as { kind?: unknown }).kind === 'Secret';
}
