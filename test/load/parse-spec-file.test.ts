import { describe, expect, it } from 'vitest';
import { parseSpecFile } from '../../src/load/parse-spec-file.js';

const parse = (text: string, limits?: { maxFileBytes: number; maxAliases: number }) => parseSpecFile({ path: 'k.yaml', text }, limits);

describe('parseSpecFile', () => {
  const text = `# leading comment
apiVersion: v1
spec:
  components:
    # a comment before the item
    - name: a
      traits:
        storage: [{name: x, size: 1}]
    - {name: b, type: config}
---
---
second: doc
`;

  it('keeps document indices, skipping empty documents', () => {
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => d.index)).toEqual([0, 2]);
  });

  it('locates mappings and sequences from the fast parse, skipping comments', () => {
    const [d] = parse(text).documents;
    const at = (p: string) => d!.locator.locate(d!.index, d!.value, p);
    expect(at('')).toEqual({ line: 2, col: 1 });
    expect(at('/spec/components/0')).toEqual({ line: 6, col: 7 });
    expect(at('/spec/components/1')).toEqual({ line: 9, col: 7 });
    expect(at('/spec/components/0/traits/storage/0')).toEqual({ line: 8, col: 19 });
  });

  it('locates scalars and keys exactly', () => {
    const [d] = parse(text).documents;
    const at = (p: string, key = false) => d!.locator.locate(d!.index, d!.value, p, { key });
    expect(at('/spec/components/0/traits/storage/0/size')).toEqual({ line: 8, col: 35 });
    expect(at('/spec/components/0/traits/storage/0/size', true)).toEqual({ line: 8, col: 29 });
    expect(at('/spec/components/1/type', true)).toEqual({ line: 9, col: 17 });
    // A pointer past the document falls back to the deepest existing node.
    expect(at('/spec/components/1/missing/deeper').line).toBe(9);
  });

  it('uses the YAML 1.2 core schema: yes/no/on stay strings, no timestamps', () => {
    const [d] = parse('a: yes\nb: on\nc: 2001-12-14\nd: 0o17\n').documents;
    expect(d!.value).toEqual({ a: 'yes', b: 'on', c: '2001-12-14', d: 15 });
  });

  it('reports every syntax error it can find, with positions', () => {
    const r = parse('a: 1\na: 2\nb: [1,\n');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['yaml-duplicate-key', 2],
      ['yaml-syntax', 4],
    ]);
  });

  it('refuses more aliases than the limit (billion laughs)', () => {
    const laughs = ['a: &a [x, x]', 'b: &b [*a, *a, *a]', 'c: &c [*b, *b, *b]', 'd: [*c, *c, *c]'].join('\n');
    expect(parse(laughs).diagnostics).toEqual([]);
    const r = parse(laughs, { maxFileBytes: 1e6, maxAliases: 5 });
    expect(r.documents).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml-aliases', line: 2 });
  });

  it('refuses files over the size limit', () => {
    const r = parse('a: 1\n'.repeat(100), { maxFileBytes: 100, maxAliases: 50 });
    expect(r.diagnostics[0]).toMatchObject({ code: 'file-too-large', line: 1, col: 1 });
  });
});
