import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuantity, checkQuantityValue, parseQuantity } from '../../../src/k8s/formats/quantity.js';
import { expectReasonStyle } from './reason-style.js';

describe('checkQuantity / parseQuantity', () => {
  it.each([
    ['1', 1],
    ['0', 0],
    ['-0', 0],
    ['+1', 1],
    ['-1', -1],
    ['250m', 0.25],
    ['100m', 0.1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['00.00', 0],
    ['1Ki', 1024],
    ['1Mi', 1024 ** 2],
    ['1Gi', 1_073_741_824],
    ['1.5Gi', 1_610_612_736],
    ['1Ti', 1024 ** 4],
    ['1Pi', 1024 ** 5],
    ['1Ei', 1024 ** 6],
    ['.5Ki', 512],
    ['-2Mi', -2 * 1024 ** 2],
    ['1n', 1e-9],
    ['1u', 1e-6],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18], // exa, not an exponent
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e+3', 1000],
    ['1e-3', 0.001],
    ['1.5e3', 1500],
    ['12e0', 12],
    ['1e999', Number.POSITIVE_INFINITY], // valid syntax; too large for a float
  ])('%j is %d', (s, value) => {
    expect(checkQuantity(s)).toBeUndefined();
    expect(parseQuantity(s)).toBe(value);
  });

  it.each([
    ['', 'quantity is empty'],
    ['1gi', '"1gi" has an invalid unit "gi" (units are case-sensitive); write "1Gi" (2^30)'],
    ['1KI', 'write "1Ki" (2^10)'],
    ['1K', 'write "1k" (10^3) or "1Ki" (2^10)'],
    ['1GB', '"1GB" has an invalid unit "GB"; write "1G" (10^9) or "1Gi" (2^30)'],
    ['1GiB', 'write "1Gi" (2^30)'],
    ['1mb', 'write "1M" (10^6) or "1Mi" (2^20)'],
    ['1B', 'bytes are the default unit, so leave out "B"; write "1"'],
    ['1x', 'has an invalid unit "x"; use Ki, Mi, Gi'],
    ['1mi', 'invalid unit "mi"'],
    ['1Gi ', 'must not contain spaces; write "1Gi"'],
    ['1 .', 'write "1."'],
    [' 1Gi', 'must not contain spaces'],
    ['1 Gi', '"1 Gi" must not contain spaces; write "1Gi"'],
    ['1 G i', 'must not contain spaces; write "1Gi"'],
    ['Gi', '"Gi" has no number; write a number before the unit, like 1Gi'],
    ['.', 'not a quantity'],
    ['+', 'not a quantity'],
    ['-', 'not a quantity'],
    ['.Gi', 'has no number'],
    ['1.2.3', 'the number is malformed'],
    ['1..2', 'the number is malformed'],
    ['1e', 'exponent without digits'],
    ['1e+', 'exponent without digits'],
    ['1e1.5', 'fractional exponent'],
    ['1e3Ki', 'combines an exponent with a unit'],
    ['1Ki1', 'invalid unit'],
    ['1e99999999999999999999', 'too large'],
    ['++1', 'not a quantity'],
    ['1,5Gi', 'invalid unit'],
    ['0x10', 'invalid unit'],
    ['1_000', 'invalid unit'],
  ])('rejects %j', (s, reason) => {
    const got = checkQuantity(s);
    expect(got).toContain(reason);
    expectReasonStyle(got!);
    expect(() => parseQuantity(s)).toThrow(RangeError);
  });

  /**
   * The pattern Kubernetes publishes for quantities in CRD schemas, narrowed to whole-number
   * exponents (resource.ParseQuantity rejects `1e1.5`, the pattern does not).
   */
  const crdPattern = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
  const reference = (s: string): boolean => crdPattern.test(s) && !/[eE][+-]?[0-9]*\.[0-9]*$/.test(s);

  it('accepts exactly what the Kubernetes quantity pattern accepts', () => {
    const chars = fc.constantFrom(...'0123456789.+-eEKMGTPinumkbB '.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 8 }), (s) => {
        expect(checkQuantity(s) === undefined, s).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives well-formed reasons for arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const reason = checkQuantity(s);
        if (reason !== undefined) expectReasonStyle(reason);
      }),
    );
  });

  const ordered = ['n', 'u', 'm', '', 'k', 'Ki', 'M', 'Mi', 'G', 'Gi', 'T', 'Ti', 'P', 'Pi', 'E', 'Ei'];
  const decimalText = fc
    .tuple(fc.nat({ max: 1_000_000 }), fc.option(fc.nat({ max: 999 }), { nil: undefined }))
    .map(([i, f]) => (f === undefined ? String(i) : `${i}.${String(f).padStart(3, '0')}`));

  it('scales by the suffix: a larger suffix never gives a smaller value', () => {
    fc.assert(
      fc.property(decimalText, fc.nat({ max: ordered.length - 1 }), fc.nat({ max: ordered.length - 1 }), (n, i, j) => {
        const [lo, hi] = i <= j ? [i, j] : [j, i];
        const a = parseQuantity(`${n}${ordered[lo]}`);
        const b = parseQuantity(`${n}${ordered[hi]}`);
        expect(a).toBeLessThanOrEqual(b);
        if (lo < hi && Number(n) > 0) expect(a).toBeLessThan(b);
      }),
    );
  });

  it('is monotone in the number for a fixed suffix, and odd in the sign', () => {
    fc.assert(
      fc.property(decimalText, decimalText, fc.constantFrom(...ordered, 'e3', 'e-2'), (x, y, suffix) => {
        const [a, b] = Number(x) <= Number(y) ? [x, y] : [y, x];
        expect(parseQuantity(`${a}${suffix}`)).toBeLessThanOrEqual(parseQuantity(`${b}${suffix}`));
        expect(parseQuantity(`-${a}${suffix}`)).toBe(-parseQuantity(`${a}${suffix}`) || 0);
      }),
    );
  });

  it('multiplies whole numbers by the exact unit', () => {
    const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(...Object.keys(units)), (n, suffix) => {
        expect(parseQuantity(`${n}${suffix}`)).toBe(n * units[suffix]!);
      }),
    );
  });

  it('compares the usual requests and limits correctly', () => {
    expect(parseQuantity('500m')).toBeLessThan(parseQuantity('1'));
    expect(parseQuantity('1000m')).toBe(parseQuantity('1'));
    expect(parseQuantity('1G')).toBeLessThan(parseQuantity('1Gi'));
    expect(parseQuantity('1024Mi')).toBe(parseQuantity('1Gi'));
    expect(parseQuantity('128974848')).toBe(parseQuantity('129e6') - 25152);
  });
});

describe('checkQuantityValue', () => {
  it('checks strings as quantities', () => {
    expect(checkQuantityValue('10Gi')).toBeUndefined();
    expect(checkQuantityValue('10gi')).toContain('"10Gi"');
  });

  it.each([
    [10, 'a bare number (10) is ambiguous for a size: it means 10 bytes; write a quantity string with a unit, like "10Gi" or "10Mi"'],
    [1, 'it means 1 byte;'],
    [1_073_741_824, 'like "1Gi" (the same amount)'],
    [1_500_000, 'like "1500k" (the same amount)'],
    [1_234_567, 'like "1234567" if bytes are meant, or with a unit such as "1Gi"'],
    [0.5, 'like "0.5Gi"'],
    [Number.NaN, 'the number NaN is not a quantity'],
    [true, 'got a boolean'],
    [null, 'got null'],
    [undefined, 'got nothing'],
    [['1Gi'], 'got a list'],
    [{ size: '1Gi' }, 'got a mapping'],
  ])('rejects %j', (v, reason) => {
    const got = checkQuantityValue(v);
    expect(got).toContain(reason);
    expectReasonStyle(got!);
  });
});
