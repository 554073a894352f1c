import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDns1035Label,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvVarName,
  checkIanaSvcName,
  checkLabelKey,
  checkLabelValue,
  explainDns1035Label,
  explainDnsLabel,
  explainDnsSubdomain,
  explainEnvVarName,
  explainIanaSvcName,
  explainLabelKey,
  explainNamePart,
} from '../../../src/k8s/formats/names.js';

/**
 * Each name check accepts a valid value with one regular expression before it looks for what is
 * wrong (the compiler checks thousands of names, nearly all valid): the fast path must accept
 * exactly what the full check accepts, and so give the same answer for every string.
 */
const CHARS = ['a', 'b', 'z', 'A', 'Z', '0', '9', '-', '.', '_', '/', ' ', '=', '~', '\t', 'é', '\u0000', '😀'];
const strings = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.array(fc.constantFrom(...CHARS), { maxLength }).map((cs) => cs.join('')),
    // Mostly valid-looking values, near the length limits.
    fc.array(fc.constantFrom('a', 'b', '0', '-', '.'), { minLength: 1, maxLength: maxLength + 3 }).map((cs) => cs.join('')),
    fc.string({ maxLength }),
  );

const CASES: Array<[string, (s: string) => string | undefined, (s: string) => string | undefined, number]> = [
  ['DNS label', checkDnsLabel, explainDnsLabel, 66],
  ['RFC 1035 label', checkDns1035Label, explainDns1035Label, 66],
  ['DNS subdomain', checkDnsSubdomain, explainDnsSubdomain, 256],
  ['port name', checkIanaSvcName, explainIanaSvcName, 18],
  ['environment variable name', checkEnvVarName, explainEnvVarName, 20],
];

describe('name checks: the fast path for valid values agrees with the full check', () => {
  it.each(CASES)('%s', (_what, check, explain, max) => {
    fc.assert(
      fc.property(strings(max), (s) => {
        expect(check(s)).toBe(explain(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('label key (an optional DNS subdomain prefix and /, then a name part)', () => {
    const keys = fc.oneof(
      strings(70),
      fc.tuple(strings(20), fc.constantFrom('/', '//', '.', ''), strings(70)).map(([a, b, c]) => a + b + c),
    );
    fc.assert(
      fc.property(keys, (s) => {
        expect(checkLabelKey(s)).toBe(explainLabelKey(s));
      }),
      { numRuns: 5000 },
    );
    for (const s of [
      'example.com/name',
      `${'a'.repeat(253)}/${'b'.repeat(63)}`,
      `${'a'.repeat(254)}/b`,
      `a/${'b'.repeat(64)}`,
      'a/b/c',
      '/b',
      'a/',
      'A.com/b',
    ]) {
      expect(checkLabelKey(s), s).toBe(explainLabelKey(s));
    }
  });

  it('label value (the name part of a key)', () => {
    fc.assert(
      fc.property(strings(66), (s) => {
        const full = s === '' ? undefined : explainNamePart(s, 'it');
        expect(checkLabelValue(s) === undefined).toBe(full === undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('valid values of each length limit are accepted by both, one more character by neither', () => {
    for (const [, check, explain, max] of CASES.slice(0, 4)) {
      const limit = max - 3;
      const at = 'a'.repeat(limit);
      expect(check(at)).toBeUndefined();
      expect(explain(at)).toBeUndefined();
      expect(check(`${at}a`)).toBe(explain(`${at}a`));
      expect(check(`${at}a`)).toBeDefined();
    }
  });
});
