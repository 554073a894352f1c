import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationArbitrary } from '../../bench/parity/spec-arbitrary.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { compile } from '../../src/compile.js';
import { overlaps, readsAreValid } from '../../src/validate/read-paths.js';
import { codes } from '../helpers/spec.js';

const doc = (components: string): string => `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: shop}
spec:
  components:
${components}`;

describe('all problems of a file at once', () => {
  it('one document with a schema error and an unknown dependsOn reports both', () => {
    const result = compile([
      {
        path: 'kubemin.yaml',
        text: doc(`    - {name: redis, type: store, image: redis:7.2, replicas: two}
    - {name: web, type: webservice, image: nginx, dependsOn: [redis, postgres]}`),
      },
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['wrong-type', '/spec/components/0/replicas'],
      ['unknown-component', '/spec/components/1/dependsOn/1'],
    ]);
    expect(result.apps).toEqual([]);
  });

  it('a rule that reads an invalid part does not run; the others do', () => {
    // The probe names a port that does not exist (probe-ports), but the component's traits also
    // have a schema error: rules reading traits stay quiet; the duplicate name is still found.
    const result = compile([
      {
        path: 'kubemin.yaml',
        text: doc(`    - name: web
      type: webservice
      image: nginx
      traits:
        probes: [{type: readiness, httpGet: {path: /, port: http}}]
        resources: {cpu: lots}
    - {name: web, type: worker, image: nginx}`),
      },
    ]);
    expect(codes(result).sort()).toEqual(['duplicate-component', 'invalid-value']);
  });

  it('a component whose type is unknown is not read by any rule (none of its fields was checked)', () => {
    const result = compile([
      {
        path: 'kubemin.yaml',
        text: doc(`    - {name: web, type: websrvice, dependsOn: 5, ports: nope}
    - {name: api, type: webservice, image: nginx, dependsOn: [nowhere]}`),
      },
    ]);
    expect(codes(result)).toEqual(['invalid-value']);
    expect(result.diagnostics[0]!.pointer).toBe('/spec/components/0/type');
  });

  it('a missing field invalidates that field only, not its component', () => {
    const result = compile([
      {
        path: 'kubemin.yaml',
        text: doc(`    - {name: web, type: webservice, dependsOn: [db]}`),
      },
    ]);
    expect(codes(result).sort()).toEqual(['missing-field', 'unknown-component']);
  });

  it('a YAML-valid but non-mapping document runs no rule', () => {
    const result = compile([{ path: 'kubemin.yaml', text: '- just\n- a list\n' }]);
    expect(result.diagnostics.every((d) => d.pointer === '')).toBe(true);
  });
});

describe('read paths', () => {
  it.each([
    ['/spec/components/*/name', '/spec/components/1/name', true],
    ['/spec/components/*/name', '/spec/components/1', true],
    ['/spec/components/*/name', '/spec/components', true],
    ['/spec/components/*/name', '', true],
    ['/spec/components/*/name', '/spec/components/1/names', false],
    ['/spec/components/*/name', '/spec/components/1/traits/x', false],
    ['/spec/components/*/traits', '/spec/components/0/traits/storage/2/size', true],
    ['/spec/workflow', '/spec/components/0', false],
    ['/metadata/labels', '/metadata/labels/a~1b', true],
  ])('%s and %j overlap: %s', (pattern, pointer, expected) => {
    expect(overlaps(pattern, pointer)).toBe(expected);
  });

  it('a rule without reads runs only on valid documents', () => {
    expect(readsAreValid(undefined, [])).toBe(true);
    expect(readsAreValid(undefined, ['/spec/x'])).toBe(false);
    expect(readsAreValid(['/metadata/labels'], ['/spec/x'])).toBe(true);
  });
});

describe('rules on documents with schema errors', () => {
  /** Every node of a JSON value, as [parent, key] pairs. */
  function slots(v: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []): typeof out {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Record<string, unknown>, k]);
        slots(x, out);
      }
    return out;
  }

  it('never crash, whatever part is broken (property)', () => {
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }), fc.constant([1, 'x']), fc.constant({ x: 1 }), fc.boolean());
    fc.assert(
      fc.property(applicationArbitrary('ns'), fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 3 }), (spec, corruptions) => {
        const doc = structuredClone(spec) as Record<string, unknown>;
        for (const [which, value] of corruptions) {
          const all = slots(doc);
          if (!all.length) break;
          const [parent, key] = all[which % all.length]!;
          (parent as Record<string | number, unknown>)[key] = structuredClone(value);
        }
        const result = compile([{ path: 'kubemin.yaml', text: emitYaml(doc as never) }]);
        // Whatever broke, the problems have places and nothing half-valid is rendered.
        for (const d of result.diagnostics) expect(d.pointer, d.message).toBeTypeOf('string');
        if (result.diagnostics.some((d) => d.severity === 'error')) expect(result.apps).toEqual([]);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
