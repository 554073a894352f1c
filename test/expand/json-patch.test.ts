import { describe, expect, it } from 'vitest';
import { jsonPatch, JsonPatchError, mergePatch, type JsonPatchOp } from '../../src/expand/json-patch.js';

/** RFC 7386 and RFC 6902, checked against the examples of the RFCs themselves. */
describe('RFC 7386 merge patch', () => {
  // RFC 7386, Appendix A: target, patch, result.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('%j + %j', (target, patch, result) => {
    const before = structuredClone(target);
    expect(mergePatch(target, patch)).toEqual(result);
    expect(target).toEqual(before); // the target is not changed
  });
});

describe('RFC 6902 JSON patch', () => {
  const apply = (doc: unknown, ops: unknown[]) => jsonPatch(doc, ops as JsonPatchOp[]);

  it("the RFC's examples (appendix A)", () => {
    expect(apply({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ baz: 'qux', foo: 'bar' });
    expect(apply({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
    expect(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
    expect(apply({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
    expect(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo', foo: 'bar' });
    expect(apply({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({
      foo: { bar: 'baz' },
      qux: { corge: 'grault', thud: 'fred' },
    });
    expect(apply({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({ foo: ['all', 'cows', 'eat', 'grass'] });
    expect(
      apply({ baz: 'qux', foo: ['a', 2, 'c'] }, [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ]),
    ).toEqual({ baz: 'qux', foo: ['a', 2, 'c'] });
    expect(apply({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }])).toEqual({ foo: 'bar', child: { grandchild: {} } });
    expect(apply({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({ foo: ['bar', ['abc', 'def']] });
    expect(apply({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }])).toEqual({ '/': 9, '~1': 10 });
    expect(apply({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }])).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it('fails on the operation that cannot be applied, naming it, and changes nothing', () => {
    const doc = { foo: 'bar', list: [1] };
    const fails = (ops: unknown[], index: number, message: RegExp) => {
      let err: unknown;
      try {
        apply(doc, ops);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(JsonPatchError);
      expect((err as JsonPatchError).index).toBe(index);
      expect((err as Error).message).toMatch(message);
    };
    fails([{ op: 'add', path: '/baz/bat', value: 'qux' }], 0, /\/baz does not exist/); // RFC A.12
    fails(
      [
        { op: 'test', path: '/foo', value: 'bar' },
        { op: 'test', path: '/foo', value: 'x' },
      ],
      1,
      /test failed/,
    );
    fails([{ op: 'remove', path: '/nope' }], 0, /\/nope does not exist/);
    fails([{ op: 'add', path: '/list/2', value: 0 }], 0, /past the end/);
    fails([{ op: 'replace', path: '/list/01', value: 0 }], 0, /not an index/);
    fails([{ op: 'move', from: '/list', path: '/list/0' }], 0, /into itself/);
    fails([{ op: 'add', path: 'foo', value: 1 }], 0, /must start with/);
    expect(doc).toEqual({ foo: 'bar', list: [1] });
  });
});
