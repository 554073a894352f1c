import jsYaml from 'js-yaml';
import type { Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { yamlPackage } from '../lazy-packages.js';
import { FileLocator } from './locator.js';
import type { SourceFile } from './source.js';

export interface ParseLimits {
  /** Files larger than this (bytes) are refused. */
  readonly maxFileBytes: number;
  /** More alias references to mappings or sequences than this are refused (billion-laughs guard). */
  readonly maxAliases: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxFileBytes: 1024 * 1024, maxAliases: 50 };

/** One YAML document of a spec file, with what is needed to point back into the file. */
export interface SpecDocument {
  readonly file: string;
  /** 0-based index of the document in its file (counting empty documents). */
  readonly index: number;
  readonly value: unknown;
  readonly locator: FileLocator;
}

export interface ParsedFile {
  readonly documents: SpecDocument[];
  readonly diagnostics: Diagnostic[];
  readonly locator: FileLocator;
}

/**
 * Parses every YAML document of a spec file. Values come from js-yaml's core schema (YAML 1.2:
 * `yes`/`no` stay strings, no merge keys, no timestamps), which is about ten times faster than the
 * `yaml` package on spec-sized files; on a syntax error the `yaml` package re-parses the file to
 * report every error it can find, not only the first.
 */
export function parseSpecFile(file: SourceFile, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedFile {
  const offsets = new WeakMap<object, number>();
  const locator = new FileLocator(file, offsets);
  const bytes = Buffer.byteLength(file.text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    return {
      documents: [],
      locator,
      diagnostics: [
        {
          severity: 'error',
          code: 'file-too-large',
          message: `file is ${bytes} bytes, over the limit of ${limits.maxFileBytes}`,
          hint: 'split the applications into several files',
          file: file.path,
          line: 1,
          col: 1,
        },
      ],
    };
  }

  const opens: number[] = [];
  let aliases = 0;
  let firstAliasOffset = -1;
  const text = file.text;
  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }): void => {
    if (event === 'open') {
      opens.push(state.position);
      return;
    }
    const start = opens.pop() ?? 0;
    const result = state.result;
    if (result === null || typeof result !== 'object') return;
    const at = skipBlank(text, start);
    if (offsets.has(result)) {
      // js-yaml reports some flow collections twice; only a node written `*name` is an alias.
      if (text.charCodeAt(at) === 42 /* * */) {
        aliases++;
        if (firstAliasOffset < 0) firstAliasOffset = at;
      }
      return;
    }
    offsets.set(result, at);
  };

  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, undefined, {
      filename: file.path,
      schema: jsYaml.CORE_SCHEMA,
      json: false,
      listener,
    } as jsYaml.LoadOptions);
  } catch (err) {
    return { documents: [], locator, diagnostics: syntaxDiagnostics(file, locator, err) };
  }

  const diagnostics: Diagnostic[] = [];
  if (aliases > limits.maxAliases) {
    const pos = locator.lines.position(firstAliasOffset);
    diagnostics.push({
      severity: 'error',
      code: 'yaml-aliases',
      message: `file uses ${aliases} YAML aliases of mappings or sequences, over the limit of ${limits.maxAliases}`,
      hint: 'write the repeated parts out, or move them into a component that others reference',
      file: file.path,
      ...pos,
    });
    return { documents: [], locator, diagnostics };
  }
  const documents: SpecDocument[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return;
    documents.push({ file: file.path, index, value, locator });
  });
  if (!documents.length) {
    diagnostics.push({
      severity: 'error',
      code: 'empty-file',
      message: 'the file holds no application (it is empty, or only comments)',
      hint: 'write an application in it (`kubemin init` writes a first one), or delete the file',
      file: file.path,
      line: 1,
      col: 1,
    });
  }
  return { documents, diagnostics, locator };
}

/** Skips spaces, newlines and comments: the fast parser reports a node's start before them. */
function skipBlank(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */ && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return text.length;
      i = nl + 1;
    } else return i;
  }
}

function syntaxDiagnostics(file: SourceFile, locator: FileLocator, err: unknown): Diagnostic[] {
  const all: Diagnostic[] = [];
  for (const doc of yamlPackage().parseAllDocuments(file.text, { uniqueKeys: true, prettyErrors: false })) {
    for (const e of doc.errors) {
      const duplicate = e.code === 'DUPLICATE_KEY';
      // A quote that is never closed is found at the end of the file: point at where it opens.
      const opened = e.code === 'MISSING_CHAR' && /quote/.test(e.message) ? unclosedQuote(doc, e.pos[0]) : undefined;
      all.push({
        severity: 'error',
        code: duplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
        message: duplicate
          ? `key ${JSON.stringify(keyAt(file.text, e.pos[0]))} appears twice in one mapping`
          : opened !== undefined
            ? 'this quoted string is never closed: the rest of the file was read into it'
            : firstLine(e.message),
        ...(duplicate ? { hint: 'remove one of the two entries; YAML keeps only one of them' } : {}),
        ...(opened !== undefined ? { hint: `add the closing ${file.text[opened]} at the end of the value` } : {}),
        file: file.path,
        ...locator.lines.position(opened ?? e.pos[0]),
      });
    }
  }
  if (all.length > 0) return all;
  const mark = (err as { mark?: { line: number; column: number } }).mark;
  const reason = (err as { reason?: string }).reason ?? String(err);
  const duplicate = /duplicated mapping key/.test(reason);
  return [
    {
      severity: 'error',
      code: duplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
      message: reason,
      file: file.path,
      line: (mark?.line ?? 0) + 1,
      col: (mark?.column ?? 0) + 1,
    },
  ];
}

/** Where the quoted scalar that runs to `end` (an unclosed quote) opens, if there is one. */
function unclosedQuote(doc: Document, end: number): number | undefined {
  let found: number | undefined;
  yamlPackage().visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && node.range && node.range[1] >= end - 1 && (found === undefined || node.range[0] < found)) found = node.range[0];
    },
  });
  return found;
}

/** The key written at an offset (a plain or quoted scalar), for messages. */
function keyAt(text: string, offset: number): string {
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:\n#]*?))\s*:/.exec(text.slice(offset, offset + 300));
  return (m?.[1] ?? m?.[2]?.replace(/''/g, "'") ?? m?.[3] ?? text.slice(offset, text.indexOf('\n', offset))).trim();
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i === -1 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}
