import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isScalar, parseAllDocuments, stringify, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { joinPointer } from '../../src/load/json-pointer.js';
import { parseSpecFile } from '../../src/load/parse-spec-file.js';
import { scalarOffset } from '../../src/load/scalar-offset.js';
import { REPO } from '../helpers/tree.js';

/** Every spec file of the examples and fixtures, as text. */
function specTexts(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(e.name)) out.push([path, readFileSync(path, 'utf8')]);
    }
  };
  for (const dir of ['examples', 'fixtures/render', 'fixtures/invalid']) walk(join(REPO, dir));
  return out;
}

/** Every scalar under a value whose parent is a mapping, with its pointer. */
function scalarsInMappings(value: unknown, at = ''): Array<[string, string | number | boolean | null]> {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = joinPointer(at, Array.isArray(value) ? Number(k) : k);
    if (v === null || typeof v !== 'object')
      return Array.isArray(value) ? [] : [[p, v as string | number | boolean | null] as [string, string | number | boolean | null]];
    return scalarsInMappings(v, p);
  });
}

/** Checks every scalar scalarOffset answers for against the yaml package; returns [answered, asked]. */
function compareWithYaml(path: string, text: string): [number, number] {
  let answered = 0;
  let asked = 0;
  const parsed = parseSpecFile({ path, text });
  const exact = parseAllDocuments(text, { uniqueKeys: false });
  for (const doc of parsed.documents) {
    const node = (p: string): Node | undefined =>
      exact[doc.index]!.getIn(
        p
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
        true,
      ) as Node | undefined;
    for (const [pointer, value] of scalarsInMappings(doc.value)) {
      const cut = pointer.lastIndexOf('/');
      const parent = doc.locator.locate(doc.index, doc.value, pointer.slice(0, cut));
      const mapping = doc.locator.lines.lineStart(parent.line) + parent.col - 1;
      const key = pointer
        .slice(cut + 1)
        .replace(/~1/g, '/')
        .replace(/~0/g, '~');
      const found = scalarOffset(text, mapping, key, value);
      asked++;
      if (found === undefined) continue;
      answered++;
      const n = node(pointer);
      expect(isScalar(n), `${path} ${pointer}`).toBe(true);
      expect(found, `${path} ${pointer}`).toBe(n!.range![0]);
    }
  }
  return [answered, asked];
}

describe('scalarOffset: a scalar of a mapping found in the text, without a second parse', () => {
  it('finds exactly where the yaml package places every scalar it answers for, in every example and fixture', () => {
    let answered = 0;
    let asked = 0;
    for (const [path, text] of specTexts()) {
      const [a, n] = compareWithYaml(path, text);
      answered += a;
      asked += n;
    }
    // Not vacuous: almost every scalar of the specs is answered.
    expect(answered).toBeGreaterThan(4000);
    expect(answered / asked).toBeGreaterThan(0.9);
  });

  it('agrees with the yaml package on random documents, written in block and flow styles (property)', () => {
    const key = fc.constantFrom('a', 'b', 'name', 'type', 'x y', 'k:v', '#c', '-', 'on', '1');
    const scalar = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ':', '#', '"', "'", '{', '}', '[', '-', '\\', '\n', 'é'), maxLength: 8 }),
      fc.integer({ min: -5, max: 300 }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), fc.array(tie('node'), { maxLength: 3 })),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    })).map;
    const style = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      indent: fc.constantFrom(2, 4),
    });
    let answered = 0;
    fc.assert(
      fc.property(value, style, (doc, opts) => {
        const text = stringify({ spec: doc }, null, { ...opts, lineWidth: 0 });
        answered += compareWithYaml('random.yaml', text)[0];
      }),
      { numRuns: 1000 },
    );
    expect(answered).toBeGreaterThan(400);
  });

  it('leaves to the exact parse what it cannot read plainly', () => {
    const at = (text: string, key: string, value: string | number | boolean | null): number | undefined => scalarOffset(text, text.indexOf('a:'), key, value);
    expect(at('a: 1\nb: true\n', 'b', true)).toBe(8);
    expect(at('a: 1\n# note\nb: "x y" # why\n', 'b', 'x y')).toBe(15);
    expect(at("a: 1\nb: 'it''s'\n", 'b', "it's")).toBe(8);
    expect(at('a: 1\nb:\n  x\n', 'b', 'x')).toBeUndefined(); // on the next line
    expect(at('a: 1\nb: &x 1\n', 'b', 1)).toBeUndefined(); // anchor
    expect(at('a: 1\nb: |\n  x\n', 'b', 'x\n')).toBeUndefined(); // block scalar
    expect(at('a: 1\nb: 1.0\n', 'b', 1)).toBeUndefined(); // written otherwise than it reads
    expect(at('a: 1\n"b": 1\n', 'b', 1)).toBeUndefined(); // quoted key
    expect(at('a: {x: 1}\nb: 2\n', 'b', 2)).toBe(13);
    expect(at('a: 1\nc:\n- b: 2\nd: 3\n', 'b', 2)).toBeUndefined(); // a nested mapping's key, not this one's
    expect(at('a: 1\n---\nb: 2\n', 'b', 2)).toBeUndefined(); // the next document
    expect(at('  a: 1\nb: 2\n', 'b', 2)).toBeUndefined(); // after the mapping ended
  });

  it('reads the top level of a flow mapping', () => {
    const at = (text: string, key: string, value: string | number | boolean | null): number | undefined => scalarOffset(text, text.indexOf('{'), key, value);
    expect(at('p: {a: 1, b: true}\n', 'b', true)).toBe(13);
    expect(at('p: {a: {b: 1}, b: 2}\n', 'b', 2)).toBe(18);
    expect(at('p: {a: "x, b: 1", b: 2}\n', 'b', 2)).toBe(21);
    expect(at("p: {a: 1,\n   b: 'y'}  # c\n", 'b', 'y')).toBe(16);
    expect(at('p: {a: 1, "b": 2}\n', 'b', 2)).toBeUndefined(); // quoted key
    expect(at('p: {a: 1, b: 2.0}\n', 'b', 2)).toBeUndefined();
    expect(at('p: {a: 1, b: x\n  y}\n', 'b', 'x y')).toBeUndefined(); // over two lines
    expect(at('p: {a: 1}\nb: 2\n', 'b', 2)).toBeUndefined(); // not in this mapping
  });
});
