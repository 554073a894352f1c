import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAbsolutePath,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvVarName,
  checkIanaSvcName,
  checkLabelKey,
  checkLabelValue,
  warnEnvVarName,
} from '../../../src/k8s/formats/names.js';
import { expectReasonStyle } from './reason-style.js';

type Check = (s: string) => string | undefined;

function table(name: string, check: Check, valid: string[], invalid: [string, string][]): void {
  describe(name, () => {
    it.each(valid)('accepts %j', (s) => {
      expect(check(s)).toBeUndefined();
    });
    it.each(invalid)('rejects %j', (s, reason) => {
      const got = check(s);
      expect(got).toContain(reason);
      expectReasonStyle(got!);
    });
  });
}

table(
  'checkDnsLabel',
  checkDnsLabel,
  ['a', 'web', 'my-app', '0', '123', 'a1-b2', 'a'.repeat(63), 'x--y'],
  [
    [
      'Web',
      `"Web" must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63 characters; it has uppercase letters (try "web")`,
    ],
    ['', 'it is empty'],
    ['a'.repeat(64), 'it is 64 characters long'],
    ['my_app', "it contains '_'"],
    ['a.b', "it contains '.'"],
    ['-a', "it starts with '-'"],
    ['a-', "it ends with '-'"],
    ['a b', "it contains ' '"],
    ['ä', 'it contains "ä"'],
    ['My_App', "it contains uppercase letters and '_'"],
  ],
);

table(
  'checkDnsSubdomain',
  checkDnsSubdomain,
  ['a', 'example.com', 'my-app.default.svc', '1.2.3.4', `${'a'.repeat(100)}.b`, 'a'.repeat(253)],
  [
    ['', 'it is empty'],
    ['a'.repeat(254), 'it is 254 characters long'],
    ['Example.com', 'it has uppercase letters (try "example.com")'],
    ['a..b', "it has an empty label ('..')"],
    ['.a', "it starts with '.'"],
    ['a.', "it ends with '.'"],
    ['a.-b', `label "-b" starts with '-'`],
    ['a-.b', `label "a-" ends with '-'`],
    ['a_b.com', "it contains '_'"],
  ],
);

table(
  'checkIanaSvcName',
  checkIanaSvcName,
  ['http', 'https', 'metrics', 'grpc-web', 'h2c', 'a', 'a1', '8080a', 'a'.repeat(15)],
  [
    ['', 'it is empty'],
    ['8080', 'it has no letter'],
    ['a'.repeat(16), 'it is 16 characters long'],
    ['HTTP', 'it has uppercase letters (try "http")'],
    ['http--web', "it contains '--'"],
    ['-http', "it starts with '-'"],
    ['http-', "it ends with '-'"],
    ['http_web', "it contains '_'"],
    ['http.web', "it contains '.'"],
  ],
);

table(
  'checkLabelKey',
  checkLabelKey,
  ['app', 'App', 'app.kubernetes.io/name', 'example.com/My_Key.v1', 'a', 'a'.repeat(63), `${'a'.repeat(253)}/${'b'.repeat(63)}`, 'kubernetes.io/os'],
  [
    ['', 'it is empty'],
    ['a/b/c', "it contains 2 '/'"],
    ['/name', "the prefix before '/' is empty"],
    ['x/', "the name after '/' is empty"],
    ['Example.com/x', 'the prefix "Example.com" is not a lowercase DNS subdomain (try "example.com/x")'],
    ['ex_ample.com/x', 'the prefix "ex_ample.com" is not a lowercase DNS subdomain'],
    ['a'.repeat(64), 'it is 64 characters long'],
    [`example.com/${'b'.repeat(64)}`, 'the name is 64 characters long'],
    ['_x', "it starts with '_'"],
    ['x.', "it ends with '.'"],
    ['my key', "it contains ' '"],
    ['example.com/-x', "the name starts with '-'"],
  ],
);

table(
  'checkLabelValue',
  checkLabelValue,
  ['', 'v1', 'v1.2.3', 'My_Value-1', 'a', 'a'.repeat(63), '1'],
  [
    ['a'.repeat(64), 'it is 64 characters long'],
    ['-x', "it starts with '-'"],
    ['x.', "it ends with '.'"],
    ['a/b', "it contains '/'"],
    ['a b', "it contains ' '"],
    ['true ', "it contains ' '"],
  ],
);

table(
  'checkEnvVarName',
  checkEnvVarName,
  ['PATH', 'MY_VAR', 'my.var', 'MY-VAR', '1ABC', 'a b', '~!@#', '_'],
  [
    ['', 'it is empty'],
    ['A=B', "it contains '='"],
    ['héllo', 'it contains "é"'],
    ['A\tB', 'it contains "\\t"'],
    ['A\nB', 'it contains "\\n"'],
  ],
);

table(
  'warnEnvVarName',
  warnEnvVarName,
  ['PATH', 'MY_VAR', '_', '_1', 'a1', /* invalid names get no warning: */ '', 'A=B'],
  [
    [
      'MY-VAR',
      `"MY-VAR" is not a portable environment variable name (letters, digits and '_', not starting with a digit), so shells and many programs cannot read it; it contains '-' (consider "MY_VAR")`,
    ],
    ['my.var', `consider "my_var"`],
    ['1ABC', 'it starts with a digit (consider "_1ABC")'],
    ['a b', "it contains ' '"],
  ],
);

table(
  'checkAbsolutePath',
  checkAbsolutePath,
  ['/', '/data', '/var/lib/app/', '/a/..b', '/a/b..', '/a//b', '/a/./b', '/...'],
  [
    ['', 'it is empty'],
    ['data', `it does not start with '/' (try "/data")`],
    ['./data', "does not start with '/'"],
    ['/a/../b', "it contains a '..' segment"],
    ['/..', "'..' segment"],
    ['/a/..', "'..' segment"],
    ['/a\0b', 'it contains a NUL character'],
  ],
);

describe('agreement with the Kubernetes regular expressions', () => {
  const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
  const ref = {
    label: (s: string) => s.length <= 63 && dnsLabel.test(s),
    subdomain: (s: string) => s.length <= 253 && dnsSubdomain.test(s),
    port: (s: string) => s.length <= 15 && /^[-a-z0-9]+$/.test(s) && /[a-z]/.test(s) && !s.includes('--') && !/^-|-$/.test(s),
    labelValue: (s: string) => s === '' || (s.length <= 63 && qualifiedName.test(s)),
    labelKey: (s: string) => {
      const parts = s.split('/');
      if (parts.length > 2) return false;
      const name = parts.at(-1)!;
      if (parts.length === 2 && !ref.subdomain(parts[0]!)) return false;
      return name.length <= 63 && qualifiedName.test(name);
    },
    env: (s: string) => s !== '' && /^[\x20-\x3c\x3e-\x7e]+$/.test(s),
  };
  const text = (alphabet: string, maxLength = 20) => fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength });

  const cases: [string, Check, (s: string) => boolean, fc.Arbitrary<string>][] = [
    ['checkDnsLabel', checkDnsLabel, ref.label, text('ab0-.A_', 70)],
    ['checkDnsSubdomain', checkDnsSubdomain, ref.subdomain, text('ab0-.A_')],
    ['checkIanaSvcName', checkIanaSvcName, ref.port, text('ab0-A_', 18)],
    ['checkLabelValue', checkLabelValue, ref.labelValue, text('aB0-_. /', 70)],
    ['checkLabelKey', checkLabelKey, ref.labelKey, text('aB0-_./ ')],
    ['checkEnvVarName', checkEnvVarName, ref.env, fc.string({ maxLength: 8 })],
  ];
  it.each(cases)('%s', (_name, check, reference, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (s) => {
        const reason = check(s);
        expect(reason === undefined, s).toBe(reference(s));
        if (reason !== undefined) expectReasonStyle(reason);
      }),
      { numRuns: 3000 },
    );
  });

  it('warnEnvVarName warns exactly for valid names that are not C identifiers', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (s) => {
        const expected = ref.env(s) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
        const warning = warnEnvVarName(s);
        expect(warning !== undefined).toBe(expected);
        if (warning !== undefined) {
          expectReasonStyle(warning);
          const suggestion = /consider ("[^"]*")\)$/.exec(warning)?.[1];
          expect(/^[A-Za-z_][A-Za-z0-9_]*$/.test(JSON.parse(suggestion!))).toBe(true);
        }
      }),
    );
  });

  it('the suggested lowercase fix is itself valid', () => {
    fc.assert(
      fc.property(text('abAB0-', 20), (s) => {
        const hint = /\(try ("[^"]*")\)/.exec(checkDnsLabel(s) ?? '')?.[1];
        if (hint !== undefined) expect(checkDnsLabel(JSON.parse(hint))).toBeUndefined();
      }),
    );
  });
});
