import { describe, expect, it } from 'vitest';
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
