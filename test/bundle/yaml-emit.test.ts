import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as YAML from 'yaml';
import * as jsYaml from 'js-yaml';
import { emitYaml, YamlWriter, type JsonValue } from '../../src/bundle/yaml-emit.js';

/** Expected value after a round trip: -0 becomes 0, undefined properties vanish. */
function normalise(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

function parse12(text: string): unknown {
  return YAML.parse(text, { version: '1.2', schema: 'core', uniqueKeys: true });
}
function parse11(text: string): unknown {
  return YAML.parse(text, { version: '1.1' });
}
function parseJsYaml(text: string): unknown {
  return jsYaml.load(text);
}

/** Asserts that `v` survives all three parsers, and basic shape invariants. */
function expectRoundTrip(v: unknown): string {
  const text = emitYaml(v as JsonValue);
  const expected = normalise(v);
  expect(text.endsWith('\n'), 'ends with a newline').toBe(true);
  expect(text.endsWith('\n\n'), 'ends with exactly one newline').toBe(false);
  expect(text.startsWith('---'), 'no leading document marker').toBe(false);
  expect(parse12(text), `yaml 1.2:\n${text}`).toEqual(expected);
  expect(parse11(text), `yaml 1.1:\n${text}`).toEqual(expected);
  expect(parseJsYaml(text), `js-yaml:\n${text}`).toEqual(expected);
  return text;
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'prod',
    labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/version': '1.25' },
    annotations: { 'kubemin.io/checksum': 'sha256:0a1b2c', 'example.com/enabled': 'yes' },
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            args: ['--port=8080', '-v', 'on'],
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [
              { name: 'MODE', value: 'production' },
              { name: 'DEBUG', value: 'false' },
              { name: 'PORT', value: '8080' },
            ],
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
            volumeMounts: [],
          },
        ],
        nodeSelector: {},
        terminationGracePeriodSeconds: 30,
        hostNetwork: false,
        priorityClassName: null,
      },
    },
  },
};

describe('emitYaml: exact output', () => {
  it('writes a Deployment in block style with indented sequences', () => {
    const text = expectRoundTrip(deployment);
    expect(text).toBe(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        '  namespace: prod',
        '  labels:',
        '    app.kubernetes.io/name: web',
        '    app.kubernetes.io/version: "1.25"',
        '  annotations:',
        '    kubemin.io/checksum: sha256:0a1b2c',
        '    example.com/enabled: "yes"',
        'spec:',
        '  replicas: 3',
        '  selector:',
        '    matchLabels:',
        '      app: web',
        '  strategy:',
        '    type: RollingUpdate',
        '    rollingUpdate:',
        '      maxSurge: 25%',
        '      maxUnavailable: 0',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: web',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: nginx:1.25',
        '          args:',
        '            - --port=8080',
        '            - -v',
        '            - "on"',
        '          ports:',
        '            - name: http',
        '              containerPort: 8080',
        '              protocol: TCP',
        '          env:',
        '            - name: MODE',
        '              value: production',
        '            - name: DEBUG',
        '              value: "false"',
        '            - name: PORT',
        '              value: "8080"',
        '          resources:',
        '            limits:',
        '              cpu: 500m',
        '              memory: 128Mi',
        '          volumeMounts: []',
        '      nodeSelector: {}',
        '      terminationGracePeriodSeconds: 30',
        '      hostNetwork: false',
        '      priorityClassName: null',
        '',
      ].join('\n'),
    );
  });

  it('keeps insertion order and skips undefined properties', () => {
    const text = expectRoundTrip({ z: 1, a: undefined, m: { y: undefined }, b: [1, 'two', true, null] });
    expect(text).toBe('z: 1\nm: {}\nb:\n  - 1\n  - two\n  - true\n  - null\n');
  });

  it('writes empty collections inline and at top level', () => {
    expect(expectRoundTrip({})).toBe('{}\n');
    expect(expectRoundTrip([])).toBe('[]\n');
    expect(expectRoundTrip({ a: {}, b: [] })).toBe('a: {}\nb: []\n');
    expect(expectRoundTrip([{}, [], [[]]])).toBe('- {}\n- []\n- - []\n');
  });

  it('writes nested sequences and maps compactly after the dash', () => {
    expect(expectRoundTrip([[1, 2], [{ a: 1, b: { c: [] } }]])).toBe('- - 1\n  - 2\n- - a: 1\n    b:\n      c: []\n');
  });

  it('writes top-level scalars', () => {
    expect(expectRoundTrip('hello')).toBe('hello\n');
    expect(expectRoundTrip('yes')).toBe('"yes"\n');
    expect(expectRoundTrip(42)).toBe('42\n');
    expect(expectRoundTrip(null)).toBe('null\n');
    expect(expectRoundTrip(false)).toBe('false\n');
    expect(expectRoundTrip('a\nb\n')).toBe('|\n  a\n  b\n');
  });

  it('quotes YAML 1.1 / 1.2 special words and number-like strings', () => {
    const text = expectRoundTrip({
      yes: 'no',
      on: 'off',
      y: 'n',
      '~': 'null',
      '0755': '0x1F',
      '1_000': '1e3',
      '.5': '.inf',
      '2001-12-14': '<<',
    });
    expect(text).toBe(
      ['"yes": "no"', '"on": "off"', '"y": "n"', '"~": "null"', '"0755": "0x1F"', '"1_000": "1e3"', '".5": ".inf"', '"2001-12-14": "<<"', ''].join('\n'),
    );
  });

  it('writes multi-line strings as literal block scalars with correct chomping', () => {
    expect(expectRoundTrip({ s: 'a\nb' })).toBe('s: |-\n  a\n  b\n');
    expect(expectRoundTrip({ s: 'a\nb\n' })).toBe('s: |\n  a\n  b\n');
    // Keep-chomped trailing empty lines are written as indentation-only lines
    // so the document never ends in a blank line.
    expect(expectRoundTrip({ s: 'a\nb\n\n' })).toBe('s: |+\n  a\n  b\n  \n');
    expect(expectRoundTrip({ s: '  indented\nnext\n' })).toBe('s: |2\n    indented\n  next\n');
    expect(expectRoundTrip({ s: 'a\n\nb' })).toBe('s: |-\n  a\n\n  b\n');
    expect(expectRoundTrip([{ s: 'x\ny' }, ' lead\ny'])).toBe('- s: |-\n    x\n    y\n- |2-\n   lead\n  y\n');
  });

  it('falls back to double quotes when a block scalar is not safe', () => {
    expect(expectRoundTrip({ s: 'a\r\nb' })).toBe('s: "a\\r\\nb"\n');
    expect(expectRoundTrip({ s: '\n' })).toBe('s: "\\n"\n');
    expect(expectRoundTrip({ s: 'a\n\u0007' })).toBe('s: "a\\n\\u0007"\n');
    expect(expectRoundTrip({ s: 'a\u2028b\nc' })).toBe('s: "a\\u2028b\\nc"\n');
    expect(expectRoundTrip({ 'multi\nline': 1 })).toBe('"multi\\nline": 1\n');
    // Leading space (indentation indicator needed) + whitespace-only last line.
    expect(expectRoundTrip({ s: ' a\n  ' })).toBe('s: " a\\n  "\n');
  });

  it('writes numbers in decimal / shortest form', () => {
    expect(expectRoundTrip({ a: -0, b: 1e21, c: 5e-7, d: 0.1, e: -12, f: 1.5e300 })).toBe(
      `a: 0\nb: 1000000000000000000000\nc: 5.0e-7\nd: 0.1\ne: -12\nf: ${BigInt(1.5e300).toString()}\n`,
    );
  });

  it('quotes punctuation-led and ambiguous strings', () => {
    const text = expectRoundTrip([
      'a: b',
      'a #b',
      '- x',
      '-',
      '? x',
      '*alias',
      '&anchor',
      '!tag',
      '%dir',
      '@at',
      '`tick',
      "'single'",
      '"double"',
      'trailing ',
      ' leading',
      '',
      '---',
      'key:',
    ]);
    expect(text).toBe(
      [
        '- "a: b"',
        '- "a #b"',
        '- "- x"',
        '- "-"',
        '- "? x"',
        '- "*alias"',
        '- "&anchor"',
        '- "!tag"',
        '- "%dir"',
        '- "@at"',
        '- "`tick"',
        '- "\'single\'"',
        '- "\\"double\\""',
        '- "trailing "',
        '- " leading"',
        '- ""',
        '- "---"',
        '- "key:"',
        '',
      ].join('\n'),
    );
  });

  it('keeps common Kubernetes strings plain', () => {
    const text = expectRoundTrip({
      image: 'ghcr.io/acme/web:v1.2.3',
      url: 'https://example.com/path?x=1',
      cmd: 'echo hello world',
      ref: '$(POD_NAME)',
      mail: 'ops@example.com',
      path: '/var/run/secrets',
      '.dockerconfigjson': 'e30=',
    });
    expect(text).toBe(
      [
        'image: ghcr.io/acme/web:v1.2.3',
        'url: https://example.com/path?x=1',
        'cmd: echo hello world',
        'ref: $(POD_NAME)',
        'mail: ops@example.com',
        'path: /var/run/secrets',
        '.dockerconfigjson: e30=',
        '',
      ].join('\n'),
    );
  });

  it('uses explicit-key syntax for keys longer than YAML implicit-key limit', () => {
    const long = 'k'.repeat(1500);
    const text = expectRoundTrip({ [long]: { a: 1 }, short: [{ [long]: 'v' }] });
    expect(text).toBe(`? ${long}\n:\n  a: 1\nshort:\n  - ? ${long}\n    : v\n`);
  });
});

describe('emitYaml: tricky scalars round-trip', () => {
  const tricky = [
    // YAML 1.1 booleans / nulls in various cases
    'yes',
    'Yes',
    'YES',
    'no',
    'No',
    'NO',
    'on',
    'On',
    'ON',
    'off',
    'Off',
    'OFF',
    'y',
    'Y',
    'n',
    'N',
    'true',
    'True',
    'TRUE',
    'false',
    'False',
    'FALSE',
    'null',
    'Null',
    'NULL',
    '~',
    '',
    // numbers in all their disguises
    '0',
    '-1',
    '+1',
    '0755',
    '0o17',
    '0x1F',
    '0b1010',
    '1_000',
    '1e3',
    '1E3',
    '1e+3',
    '-1.5e-3',
    '.5',
    '5.',
    '1.0',
    '.inf',
    '-.inf',
    '+.Inf',
    '.nan',
    '.NaN',
    '.',
    '..',
    '...',
    '190:20:30',
    '1:20',
    '-1:20',
    '1:20.5',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '2002-12-14T21:59:43Z',
    'Infinity',
    'NaN',
    '-Infinity',
    'e0',
    'E5',
    '-e3',
    'e+1',
    'e',
    '._',
    '1.2.3',
    '10.0.0.1',
    '1.25',
    'v1',
    '100m',
    '1Gi',
    '3d',
    '0.0.0.0/0',
    '::1',
    // merge key and YAML 1.1 "value" key
    '<<',
    '=',
    '<<<',
    // indicators and structure
    'a: b',
    'a:b',
    'a:',
    ':a',
    'a #b',
    'a#b',
    '#a',
    '- a',
    '-a',
    '-',
    '--',
    '---',
    '--- a',
    '? a',
    '?a',
    'a?',
    '*a',
    '&a',
    '!a',
    '!!str',
    '%a',
    '@a',
    '`a',
    '|a',
    '>a',
    '[a]',
    '{a}',
    'a,b',
    ',a',
    '"a"',
    "'a'",
    "don't",
    'a ',
    ' a',
    'a  b',
    '\t',
    'a\tb',
    'a\\b',
    'C:\\Windows',
    'a\u0000b',
    'a\u007fb',
    'a\u0085b',
    '\ufeffa',
    '\ufffe',
    // unicode
    'héllo',
    '日本語',
    '🚀 launch',
    'a\u00a0b',
    'a\u2028b',
    'a\u2029b',
    '\ud800',
    'a\udc00b',
    '\u{1f600}',
    // multi-line
    'a\nb',
    'a\nb\n',
    'a\nb\n\n',
    'a\nb\n\n\n',
    '\na',
    '\n\na\n',
    ' a\nb',
    '  a\n b\n',
    '\n',
    '\n\n',
    'a\r\nb',
    'a\rb',
    'a \nb ',
    'a\n \n',
    'a\n  ',
    '\ta\nb',
    'a\n\tb',
    '#a\n- b\n? c\n: d',
    '---\n...\n',
    'x\n---\ny',
    'a\u2028\nb',
    'a\n\u0085b',
    '日本\n語\n',
    ' a\n ',
    ' a\n \t\n\n',
    '\na\n  ',
    ' \n',
    ' \n\n',
    '\t\n',
    ' a\n \nb',
  ];

  for (const s of tricky) {
    it(`string ${JSON.stringify(s)} as value, key and sequence item`, () => {
      expectRoundTrip(s);
      expectRoundTrip({ v: s });
      expectRoundTrip({ outer: { v: s }, list: [s, [s], { k: s }] });
      expectRoundTrip({ [s]: s });
    });
  }
});

describe('emitYaml: errors', () => {
  it('throws a TypeError naming the path for NaN / Infinity', () => {
    expect(() => emitYaml({ spec: { replicas: Number.NaN } })).toThrow(TypeError);
    expect(() => emitYaml({ spec: { replicas: Number.NaN } })).toThrow(/NaN at spec\.replicas/);
    expect(() => emitYaml({ spec: { containers: [{ ports: [{ containerPort: Infinity }] }] } })).toThrow(
      /Infinity at spec\.containers\[0\]\.ports\[0\]\.containerPort/,
    );
    expect(() => emitYaml({ metadata: { annotations: { 'a.b/c': -Infinity } } })).toThrow(/-Infinity at metadata\.annotations\["a\.b\/c"\]/);
    expect(() => emitYaml(Number.NaN)).toThrow(/NaN at <root>/);
  });

  it('throws for non-JSON values', () => {
    const bad: [unknown, RegExp][] = [
      [{ a: () => 1 }, /function at a/],
      [{ a: Symbol('x') }, /symbol at a/],
      [{ a: 1n }, /bigint 1n at a/],
      [{ a: new Date(0) }, /Date at a/],
      [{ a: [new Map()] }, /Map at a\[0\]/],
      [{ a: [undefined] }, /undefined at a\[0\]/],
      [{ a: new (class Foo {})() }, /Foo at a/],
    ];
    for (const [v, re] of bad) {
      expect(() => emitYaml(v as JsonValue)).toThrow(TypeError);
      expect(() => emitYaml(v as JsonValue)).toThrow(re);
    }
  });

  it('throws (rather than overflowing the stack) for circular structures', () => {
    const a: Record<string, unknown> = { name: 'x' };
    a.self = a;
    expect(() => emitYaml(a as JsonValue)).toThrow(/circular/);
  });

  it('is reusable after an error', () => {
    expect(() => emitYaml({ a: Number.NaN })).toThrow();
    expect(emitYaml({ a: 1 })).toBe('a: 1\n');
  });
});

describe('emitYaml: property tests', () => {
  const params = { numRuns: 400, seed: 0x6b75_6265 } as const;

  /** Build objects with defineProperty so a "__proto__" key is an own data property. */
  function toObject(entries: [string, unknown][]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return o;
  }

  const anyString = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.string({
      unit: fc.constantFrom(
        'a',
        '0',
        '1',
        '.',
        '-',
        '_',
        ':',
        ' ',
        '#',
        '\n',
        '\t',
        '\r',
        '"',
        "'",
        'y',
        'e',
        'x',
        'o',
        'n',
        '~',
        '<',
        '=',
        '?',
        '!',
        '*',
        '&',
        '|',
        '>',
        '%',
        '@',
        '`',
        '\u0085',
        '\u2028',
        'é',
      ),
    }),
  );

  const stringTree = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      anyString,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.array(fc.tuple(anyString, tie('node')), { maxLength: 4 }).map(toObject),
    ),
  })).node;

  it('round-trips fc.jsonValue()', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expectRoundTrip(v);
      }),
      params,
    );
  });

  it('round-trips objects with arbitrary unicode keys and values', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyString, anyString), { maxLength: 8 }).map(toObject), (v) => {
        expectRoundTrip(v);
      }),
      params,
    );
  });

  it('round-trips nested structures of arbitrary strings', () => {
    fc.assert(
      fc.property(stringTree, (v) => {
        expectRoundTrip(v);
      }),
      params,
    );
  });

  it('round-trips arbitrary doubles and integers', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.maxSafeInteger())), (v) => {
        expectRoundTrip({ v });
      }),
      params,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(emitYaml(v as JsonValue)).toBe(emitYaml(v as JsonValue));
      }),
      { numRuns: 100, seed: 1 },
    );
  });
});

describe('emitYaml: re-entrant (no state outside a writer)', () => {
  const params = { numRuns: 200, seed: 0x1e_e0 } as const;

  /** `outer` with its property `key` as a getter that emits `inner` first (through `emit`), then answers `value`. */
  function withEmittingGetter(outer: Record<string, unknown>, key: string, value: unknown, inner: unknown, emit: (v: unknown) => string): { seen: string[] } {
    const seen: string[] = [];
    Object.defineProperty(outer, key, {
      enumerable: true,
      get() {
        seen.push(emit(inner));
        return value;
      },
    });
    return { seen };
  }

  it('an emission inside another (a getter that writes YAML) leaves both whole', () => {
    const inner = { kind: 'ConfigMap', data: { a: 'x\ny\n', b: [1, 2, { c: null }] } };
    const plain = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, ports: [80, 443] } };
    const outer: Record<string, unknown> = { metadata: plain.metadata };
    const { seen } = withEmittingGetter(outer, 'spec', plain.spec, inner, (v) => emitYaml(v as JsonValue));
    expect(emitYaml(outer as JsonValue)).toBe(emitYaml(plain));
    expect(seen).toEqual([emitYaml(inner as JsonValue)]);
  });

  it('one writer re-entered from a getter gives each document its own bytes', () => {
    const writer = new YamlWriter();
    const inner = { list: [{ name: 'a', value: '1' }], on: 'yes' };
    const plain = { a: { b: 'c' }, d: ['e', { f: 'g' }] };
    const outer: Record<string, unknown> = { a: plain.a };
    const { seen } = withEmittingGetter(outer, 'd', plain.d, inner, (v) => writer.document(v as JsonValue));
    expect(writer.document(outer as JsonValue)).toBe(emitYaml(plain as JsonValue));
    expect(seen).toEqual([emitYaml(inner as JsonValue)]);
    // and the writer goes on as before
    expect(writer.document(plain as JsonValue)).toBe(emitYaml(plain as JsonValue));
  });

  it('an emission that fails inside another does not disturb it', () => {
    const plain = { a: 1, b: { c: 'd' } };
    const outer: Record<string, unknown> = { a: 1 };
    const failures: string[] = [];
    Object.defineProperty(outer, 'b', {
      enumerable: true,
      get() {
        try {
          emitYaml({ bad: Number.NaN });
        } catch (err) {
          failures.push((err as Error).message);
        }
        return plain.b;
      },
    });
    expect(emitYaml(outer as JsonValue)).toBe(emitYaml(plain));
    expect(failures).toEqual([expect.stringMatching(/NaN at bad/)]);
  });

  it('random documents nested through getters, and two writers taking turns, give the bytes each gives alone', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 6 }),
        fc.jsonValue(),
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 6 }),
        (outerPlain, inner, docs) => {
          const keys = Object.keys(outerPlain);
          const key = keys[keys.length - 1]!;
          const outer: Record<string, unknown> = {};
          // defineProperty: a generated key may be "__proto__", an own data property like the others
          for (const k of keys.slice(0, -1)) Object.defineProperty(outer, k, { value: outerPlain[k], enumerable: true, writable: true, configurable: true });
          const { seen } = withEmittingGetter(outer, key, outerPlain[key], inner, (v) => emitYaml(v as JsonValue));
          expect(emitYaml(outer as JsonValue)).toBe(emitYaml(outerPlain as JsonValue));
          expect(seen).toEqual([emitYaml(inner as JsonValue)]);

          const alone = docs.map((d) => emitYaml(d as JsonValue));
          const a = new YamlWriter();
          const b = new YamlWriter();
          const fromA: string[] = [];
          const fromB: string[] = [];
          for (const d of docs) {
            fromA.push(a.document(d as JsonValue));
            fromB.push(b.document([...docs].reverse()[fromB.length] as JsonValue));
          }
          expect(fromA).toEqual(alone);
          expect(fromB).toEqual([...alone].reverse());
        },
      ),
      params,
    );
  });
});
