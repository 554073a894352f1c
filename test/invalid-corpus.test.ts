/**
 * The invalid-input corpus: every directory under fixtures/invalid/ is one case, holding spec
 * files (kubemin.yaml, *.kubemin.yaml, or other *.yaml, in subdirectories too) and expected.txt,
 * the exact text diagnostics. Each case must fail to compile, render no application, and report
 * exactly what expected.txt says.
 *
 * The expected.txt files are reviewed golden files. `UPDATE_GOLDEN=1 npx vitest run
 * test/invalid-corpus.test.ts` rewrites them from the current compiler; read the diff before
 * keeping it. A normal run never writes.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/compile.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatText } from '../src/diagnostics/format-text.js';
import type { SourceFile } from '../src/load/source.js';

const CORPUS = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const MIN_CASES = 36;

function caseNames(): string[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every *.yaml file of a case, recursively, with POSIX paths relative to the case directory. */
function readCase(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && e.name.endsWith('.yaml')) {
        out.push({ path: relative(dir, abs).split(sep).join('/'), text: readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The *.yml files of a case, recursively: files its specs name. */
function readNamed(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && e.name.endsWith('.yml')) out.push({ path: relative(dir, abs).split(sep).join('/'), text: readFileSync(abs, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

const cases = caseNames();

describe('invalid corpus', () => {
  it(`has at least ${MIN_CASES} cases, each named NN-short-name`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    for (const name of cases) expect(name).toMatch(/^\d{2,3}-[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(cases)('%s', (name) => {
    const dir = join(CORPUS, name);
    const files = readCase(dir);
    expect(files.length, `${name} has no *.yaml file`).toBeGreaterThan(0);

    // Other files of a case (*.yml) are the files its specs name (k8s-objects), as the loader would read them.
    const named = readNamed(dir);
    const result = compile(files, { files: new Map(named.map((f) => [f.path, { text: f.text }])) });
    const text = formatText(result.diagnostics, result.sources, { color: false });

    expect(hasErrors(result.diagnostics), `${name} compiled without errors:\n${text}`).toBe(true);
    expect(result.apps).toEqual([]);
    // Every diagnostic points into one of the case's files, at a line that exists.
    for (const d of result.diagnostics) {
      const file = [...files, ...named].find((f) => f.path === d.file);
      expect(file, `diagnostic ${d.code} points at unknown file ${d.file}`).toBeDefined();
      expect(d.line, `diagnostic ${d.code} has no line`).toBeGreaterThanOrEqual(1);
      expect(d.line!).toBeLessThanOrEqual(file!.text.split('\n').length);
    }

    const expectedPath = join(dir, 'expected.txt');
    if (UPDATE) {
      writeFileSync(expectedPath, text);
      return;
    }
    expect(existsSync(expectedPath), `${name}/expected.txt is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(text).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
