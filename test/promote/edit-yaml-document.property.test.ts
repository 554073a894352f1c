import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { editYamlDocument } from '../../src/promote/edit-yaml-document.js';
import type { Plain, PlainObject } from '../../src/promote/merge-patch.js';

const key = fc.constantFrom('a', 'b', 'c', 'image', '1.5');
const scalar = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom('x', 'y z', '1.0', 'true', 'a: b', 'reg.io/app:1.2', '#x', ''), fc.boolean());
const value: fc.Arbitrary<Plain> = fc.letrec<{ v: Plain }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(scalar, { maxLength: 2 }),
    fc.dictionary(key, tie('v'), { minKeys: 1, maxKeys: 3 }),
  ),
})).v;
const mapping = fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }) as fc.Arbitrary<PlainObject>;

/** A changed copy: some keys dropped, some values replaced, nested mappings changed alike, some keys added anywhere. */
function mutate(v: PlainObject, choices: number[], fresh: PlainObject): PlainObject {
  const out: Array<[string, Plain]> = [];
  let i = 0;
  const next = (): number => choices[i++ % choices.length]!;
  for (const [k, x] of Object.entries(v)) {
    const c = next();
    if (c === 0) continue;
    if (c === 1 && typeof x === 'object' && x !== null && !Array.isArray(x)) out.push([k, mutate(x, choices.slice(i), fresh)]);
    else if (c === 2 && fresh[k] !== undefined) out.push([k, fresh[k]!]);
    else out.push([k, x]);
  }
  for (const [k, x] of Object.entries(fresh)) if (!out.some(([o]) => o === k) && next() === 3) out.splice(next() % (out.length + 1), 0, [k, x]);
  if (!out.length) out.push(['kept', 'yes']);
  return Object.fromEntries(out);
}

describe('editYamlDocument (property)', () => {
  it('the edited text reads back as the new value, in block and flow style, and the comments around stay', () => {
    let edited = 0;
    fc.assert(
      fc.property(
        mapping,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
        mapping,
        fc.constantFrom('block', 'flow', 'any'),
        fc.constantFrom(2, 4),
        fc.boolean(),
        (old, choices, fresh, style, indent, commented) => {
          const written = stringify({ env: old }, { collectionStyle: style as 'block' | 'flow' | 'any', indent, lineWidth: 0 });
          // A comment after every line, and blank lines, where the file has them.
          const body = commented ? written.replace(/\n/g, (_m, at: number) => (at % 3 ? `   # line ${at}\n` : '\n\n')) : written;
          const text = `# top comment\n${body}# end comment\n`;
          const want = mutate(old, choices, fresh);
          const out = editYamlDocument(text, { docIndex: 0, path: ['env'], value: want });
          expect(parse(out)).toEqual({ env: want });
          // Keys that stay keep their order; a new one comes before the next key of `want` that stays, or last.
          const stay = Object.keys(old).filter((k) => k in want);
          const order = [...stay];
          const wanted = Object.keys(want);
          for (const k of wanted.filter((k) => !(k in old))) {
            const next = wanted.slice(wanted.indexOf(k) + 1).find((n) => stay.includes(n));
            order.splice(next === undefined ? order.length : order.indexOf(next), 0, k);
          }
          expect(Object.keys((parse(out) as { env: PlainObject }).env)).toEqual(order);
          expect(out.startsWith('# top comment\n')).toBe(true);
          expect(out).toContain('# end comment');
          if (out !== text) edited++;
        },
      ),
      { numRuns: 1500, seed: 11 },
    );
    expect(edited).toBeGreaterThan(1000);
  });
});
