import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, deepEqual, isPlainObject, type Plain, type PlainObject } from '../../src/promote/merge-patch.js';
import { promoteField, setAt, valueAt } from '../../src/promote/promote-field.js';

const key = fc.constantFrom('a', 'b', 'c');
const scalar = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'));
/** Values as specs hold them: no null (a merge result has none). */
const value: fc.Arbitrary<Plain> = fc.letrec<{ v: Plain }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;
/** Overrides: as values, with null (removes) anywhere in a mapping. */
const patch: fc.Arbitrary<Plain> = fc.letrec<{ p: Plain }>((tie) => ({
  p: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.constant(null), fc.dictionary(key, tie('p'), { maxKeys: 3 })),
})).p;
const object = (a: fc.Arbitrary<Plain>) => fc.dictionary(key, a, { maxKeys: 3 }) as fc.Arbitrary<PlainObject>;
const path = fc.array(key, { minLength: 1, maxLength: 3 });

/** A value without its empty mappings (which mean nothing to the compiler). */
function withoutEmpty(v: Plain | undefined): Plain | undefined {
  if (!isPlainObject(v)) return v;
  const out: PlainObject = {};
  for (const [k, x] of Object.entries(v)) {
    const kept = withoutEmpty(x);
    if (!(isPlainObject(kept) && !Object.keys(kept).length)) out[k] = kept!;
  }
  return out;
}

describe('promoteField (property)', () => {
  it('the target then sees the source value at the path, and nothing else changes', () => {
    let changed = 0;
    let removed = 0;
    fc.assert(
      fc.property(object(value), object(patch), object(patch), path, (base, targetPatch, sourcePatch, p) => {
        const source = applyMergePatch(base, sourcePatch) as PlainObject;
        const before = applyMergePatch(base, targetPatch) as PlainObject;
        // A path through a list is refused by valueAt: not what this property is about.
        try {
          valueAt(source, p);
          valueAt(before, p);
        } catch {
          return;
        }
        if (deepEqual(valueAt(before, p), valueAt(source, p))) return;
        changed++;
        const result = promoteField(base, targetPatch, p, source);
        const after = applyMergePatch(base, result.override) as PlainObject;
        expect(after).toEqual(result.merged);
        expect(valueAt(after, p)).toEqual(valueAt(source, p));
        // Everything beside the path is as it was (a scalar or list above it is replaced by a mapping: nothing is beside it there).
        const above = p.slice(1).map((_, i) => valueAt(before, p.slice(0, i + 1)));
        if (above.every((v) => v === undefined || isPlainObject(v)))
          expect(withoutEmpty(setAt(after, p, undefined))).toEqual(withoutEmpty(setAt(before, p, undefined)));
        for (const k of Object.keys({ ...before, ...after })) if (k !== p[0]) expect(after[k]).toEqual(before[k]);
        // Only the path's own entry of the override changes.
        for (const k of Object.keys({ ...targetPatch, ...result.override })) if (k !== p[0]) expect(result.override[k]).toEqual(targetPatch[k]);
        if (result.edit === 'removed') {
          removed++;
          expect(valueAt(result.override, p)).toBeUndefined();
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
    // Not vacuous: both kinds of edit were made, many times.
    expect(changed).toBeGreaterThan(300);
    expect(removed).toBeGreaterThan(20);
    expect(changed - removed).toBeGreaterThan(100);
  });
});

describe('valueAt', () => {
  it('reads through mappings and refuses a list on the way', () => {
    expect(valueAt({ a: { b: 1 } }, ['a', 'b'])).toBe(1);
    expect(valueAt({ a: 'x' }, ['a', 'b'])).toBeUndefined();
    expect(() => valueAt({ a: [1] }, ['a', '0'])).toThrow(/list/);
    expect(isPlainObject(valueAt({ a: {} }, ['a']))).toBe(true);
  });
});
