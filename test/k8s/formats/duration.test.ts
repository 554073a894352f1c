import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDuration, checkGoDuration, formatDuration, parseDuration, parseGoDuration } from '../../../src/k8s/formats/duration.js';
import { expectReasonStyle } from './reason-style.js';

const MAX_MS = 9_223_372_036_854; // Go's largest duration, 2^63-1 ns, in whole milliseconds

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['1h1h', 7_200_000], // Go allows repeated units
    ['1m30s500ms', 90_500],
    ['90m', 5_400_000],
    ['+5m', 300_000], // Go allows a leading '+'
    ['.5h', 1_800_000],
    ['1.h', 3_600_000],
    ['0.001s', 1],
    ['007s', 7_000],
    ['2562047h', 2_562_047 * 3_600_000],
  ])('%j is %d ms', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
    expect(checkDuration(s)).toBeUndefined();
  });

  it.each([
    ['', 'duration is empty; write it like 5m, 90s or 1h30m'],
    ['5 minutes', '"5 minutes" is not a duration; write it like 5m, 90s or 1h30m'],
    ['1h 30m', '"1h 30m" must not contain spaces; write 1h30m'],
    ['30', '"30" has no unit; write it like 30s or 30m'],
    ['1.5', 'has no unit'],
    ['0', '"0" is zero; a duration must be positive'],
    ['0s', 'is zero'],
    ['0h0m', 'is zero'],
    ['-5m', '"-5m" is negative'],
    ['-0s', 'is negative'],
    ['1d', '"1d": days are not supported; write 24h'],
    ['2days', 'write 48h'],
    ['1d12h', 'write days as hours'],
    ['1w', 'unknown unit "w"; use h, m, s or ms'],
    ['5M', '"5M": units are lowercase; write 5m'],
    ['1H30M', 'write 1h30m'],
    ['10S', 'write 10s'],
    ['5min', 'unknown unit "min"; write 5m'],
    ['30sec', 'write 30s'],
    ['2hours', 'write 2h'],
    ['1h5mins', 'write 1h5m'],
    ['500us', 'units below a millisecond are not supported'],
    ['500ns', 'units below a millisecond'],
    ['1µs', 'units below a millisecond'],
    ['1.0005s', 'is not a whole number of milliseconds'],
    ['0.5ms', 'is not a whole number of milliseconds'],
    ['9999999999999h', 'is too long'],
    ['2562048h', 'is too long'],
    ['.s', 'is not a duration'],
    ['h', 'is not a duration'],
    ['1h-5m', 'is not a duration'],
    ['PT5M', 'is not a duration'],
    ['00:05:00', 'is not a duration'],
  ])('rejects %j', (s, reason) => {
    expect(parseDuration(s)).toBeUndefined();
    const got = checkDuration(s);
    expect(got).toContain(reason);
    expectReasonStyle(got!);
  });
});

describe('formatDuration', () => {
  it.each([
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [90_000, '1m30s'],
    [500, '500ms'],
    [1_500, '1s500ms'],
    [3_600_001, '1h1ms'],
    [172_800_000, '48h'],
    [0, '0s'],
  ])('%d ms is %j', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('throws for %d', (ms) => {
    expect(() => formatDuration(ms)).toThrow(RangeError);
  });

  it('parseDuration(formatDuration(ms)) === ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_MS }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  /** Any valid kubemin duration: components with any integer or fractional amounts, in any order. */
  const durationText = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.nat({ max: 10_000 }).map(String),
          fc.tuple(fc.nat({ max: 100 }), fc.integer({ min: 1, max: 9 })).map(([i, f]) => `${i}.${f}`),
        ),
        fc.constantFrom('h', 'm', 's', 'ms'),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.map(([n, u]) => `${n}${u}`).join(''))
    .filter((s) => parseDuration(s) !== undefined);

  it('formatDuration(parseDuration(x)) round-trips to the same value and is a fixed point', () => {
    fc.assert(
      fc.property(durationText, (s) => {
        const ms = parseDuration(s)!;
        const canonical = formatDuration(ms);
        expect(parseDuration(canonical)).toBe(ms);
        expect(formatDuration(parseDuration(canonical)!)).toBe(canonical);
        expect(canonical).toMatch(/^(?:\d+h)?(?:[1-5]?\dm)?(?:[1-5]?\ds)?(?:\d{1,3}ms)?$/);
      }),
    );
  });

  it('agrees with the Go parser on every valid kubemin duration', () => {
    fc.assert(
      fc.property(durationText, (s) => {
        expect(parseGoDuration(s)).toBe(BigInt(parseDuration(s)!) * 1_000_000n);
      }),
    );
  });
});

describe('checkGoDuration / parseGoDuration (time.ParseDuration)', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['0s', 0n],
    ['1ns', 1n],
    ['1us', 1_000n],
    ['1\u00b5s', 1_000n],
    ['1\u03bcs', 1_000n],
    ['-1.5h', -5_400_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['.5s', 500_000_000n],
    ['1.s', 1_000_000_000n],
    ['9223372036854775807ns', 9_223_372_036_854_775_807n],
    ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n],
    ['0.0000000001s', 0n],
  ])('%j is %d ns', (s, ns) => {
    expect(parseGoDuration(s)).toBe(ns);
    expect(checkGoDuration(s)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['1', 'without a unit'],
    ['00', 'without a unit'],
    ['1d', 'unknown unit "d"'],
    ['1H', 'unknown unit "H"'],
    ['1h ', 'not a Go duration'],
    [' 1h', 'not a Go duration'],
    ['.s', 'not a Go duration'],
    ['-', 'not a Go duration'],
    ['+', 'not a Go duration'],
    ['--1s', 'not a Go duration'],
    ['9223372036854775808ns', 'too long'],
    ['2562048h', 'too long'],
    ['99999999999999999999ns', 'too long'],
  ])('rejects %j', (s, reason) => {
    expect(parseGoDuration(s)).toBeUndefined();
    const got = checkGoDuration(s);
    expect(got).toContain(reason);
    expectReasonStyle(got!);
  });
});

describe('reasons', () => {
  it('are well-formed for arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.+- hmsuµdHMSx'.split('')) }), (s) => {
        const reason = checkDuration(s);
        if (reason !== undefined) expectReasonStyle(reason);
        else expect(parseDuration(s)).toBeGreaterThan(0);
        const go = checkGoDuration(s);
        if (go !== undefined) expectReasonStyle(go);
        expect(go === undefined).toBe(parseGoDuration(s) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
