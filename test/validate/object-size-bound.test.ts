import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/k8s/types.js';
import { OBJECT_MAX_BYTES, objectSize, storedSize, storedSizeBound } from '../../src/validate/object-rules/object-size.js';

/**
 * The object-size rule first counts a bound it can count without encoding strings, and only
 * counts the stored size when the bound is over the limit: the bound must never be under it.
 */
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('v'), { maxKeys: 4 }),
  ),
}));

const objects = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constantFrom('Secret', 'ConfigMap', 'Deployment'),
  metadata: fc.record({ name: fc.string() }),
  data: fc.dictionary(fc.string(), fc.string({ unit: 'binary' }), { maxKeys: 4 }),
  spec: value.v,
});

describe('object size: the bound', () => {
  it('is at least the stored size, for any object', () => {
    fc.assert(
      fc.property(objects, (o) => {
        expect(storedSizeBound(o as K8sObject)).toBeGreaterThanOrEqual(storedSize(o as K8sObject));
      }),
      { numRuns: 3000 },
    );
  });

  it('an object near the limit is still judged by its stored size', () => {
    // 1.2 MB of ASCII: stored size under the limit, the bound (3 bytes a character) over it.
    const near = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { a: 'x'.repeat(1_200_000) } } as K8sObject;
    expect(storedSizeBound(near)).toBeGreaterThan(OBJECT_MAX_BYTES);
    expect(storedSize(near)).toBeLessThanOrEqual(OBJECT_MAX_BYTES);
    expect(objectSize.check(near, undefined as never)).toEqual([]);
    const over = { ...near, data: { a: 'x'.repeat(1_600_000) } } as K8sObject;
    expect(objectSize.check(over, undefined as never)).toHaveLength(1);
  });
});
