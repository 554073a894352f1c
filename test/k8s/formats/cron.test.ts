import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCronSchedule, checkTimeZone } from '../../../src/k8s/formats/cron.js';
import { expectReasonStyle } from './reason-style.js';

describe('checkCronSchedule', () => {
  it.each([
    '* * * * *',
    '0 3 * * *',
    '*/5 * * * *',
    '0 0 31 2 *', // never fires, but valid syntax
    '0 9 * * MON-FRI',
    '0 9 * * mon-fri',
    '0 0 1 JAN/2 *',
    '0 0 1 jan,Jul *',
    '0 0 * * SUN,sat',
    '0 0 ? * ?',
    '? ? ? ? ?', // robfig accepts ? in every field
    '0-59/15 0-23 1-31 1-12 0-6',
    '5/15 * * * *', // N/step means N-max/step
    '59 23 31 12 6',
    '0 0 1 DEC *',
    '0 0-12/100 * * *', // a step larger than the range is fine
    '+5 007 * * *', // strconv.Atoi accepts a sign and leading zeros
    '*-5 * * * *', // robfig ignores what follows '*-'
    '1,,2 * * * *', // empty list items are dropped
    ', * * * *',
    '0\t3  *   * *', // any whitespace separates fields
    ' 0 3 * * * ', // surrounding whitespace is ignored by strings.Fields
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 1h30m',
    '@every 90s',
    '@every 1.5h',
    '@every 500ms', // robfig rounds up to 1s
    '@every 0', // so is zero
    '@every -5m', // and negative durations
  ])('accepts %j', (s) => {
    expect(checkCronSchedule(s)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['*/0 * * * *', 'minute field: step in "*/0" must be at least 1'],
    ['*/-0 * * * *', 'must be at least 1'],
    ['*/-1 * * * *', 'negative'],
    ['60 * * * *', 'minute field: 60 is above 59'],
    ['61 * * * *', 'minute field: 61 is above 59'],
    ['0-61 * * * *', 'minute field: 61 is above 59'],
    ['60/5 * * * *', 'minute field: 60 is above 59'],
    ['0 24 * * *', 'hour field: 24 is above 23'],
    ['0 0 0 * *', 'day-of-month field: 0 is below 1'],
    ['0 0 32 * *', 'day-of-month field: 32 is above 31'],
    ['0 0 5-0 * *', 'day-of-month field: 0 is below 1'],
    ['0 0 * 0 *', 'month field: 0 is below 1'],
    ['0 0 * 13 *', 'month field: 13 is above 12'],
    ['0 0 * * 7', 'day-of-week field: 7 is above 6 (Sunday is 0)'],
    ['0 0 * * 1-7', 'day-of-week field: 7 is above 6'],
    ['0 0 * * 8/2', 'day-of-week field: 8 is above 6'],
    ['0 22-2 * * *', 'hour field: range "22-2" runs backwards; ranges cannot wrap around, so write 22-23,0-2'],
    ['0 0 * * FRI-MON', 'day-of-week field: range "FRI-MON" runs backwards'],
    ['0 0 * JANUARY *', 'month field: "JANUARY" is not a number or a month name (JAN-DEC)'],
    ['0 0 * * MON-FRIDAY', 'day-of-week field: "FRIDAY" is not a number or a day name (SUN-SAT)'],
    ['0 MON * * *', 'hour field: "MON" is not a number'],
    ['0 0 * MON *', 'month field: "MON" is not a number or a month name'],
    ['0 0 * * JAN', 'day-of-week field: "JAN" is not a number or a day name'],
    ['x * * * *', 'minute field: "x" is not a number'],
    ['-5 * * * *', 'minute field: the start of a range is missing'],
    ['5- * * * *', 'minute field: the end of a range is missing'],
    ['1-2-3 * * * *', "too many '-'"],
    ['*/5/2 * * * *', "more than one '/'"],
    ['1/ * * * *', "no step after '/'"],
    ['*/x * * * *', 'step "x" in "*/x" is not a number'],
    ['L * * * *', 'minute field: "L" is not a number'],
    ['0 0 L * *', 'day-of-month field'],
    ['0 0 * * 5#3', 'day-of-week field'],
    ['99999999999999999999 * * * *', 'minute field'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 4'],
    ['0 * * * * *', 'found 6 (there is no seconds field)'],
    ['0 0 0 * * * 2024', 'found 7 (there are no seconds or year fields)'],
    ['TZ=Europe/Berlin 0 3 * * *', 'remove it and set timeZone: Europe/Berlin instead'],
    ['CRON_TZ=UTC 0 3 * * *', 'must not start with CRON_TZ='],
    ['0 3 * * * TZ=UTC', 'use the timeZone field'],
    ['@Daily', 'write "@daily"'],
    ['@daily ', 'write "@daily"'],
    [' @daily', 'spaces before the descriptor'],
    ['@reboot', 'is not a known descriptor; use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>'],
    ['@every', '@every needs a duration'],
    ['@every ', 'duration is empty'],
    ['@every 1d', 'unknown unit "d"'],
    ['@every 5', 'without a unit'],
    ['@every  1h', 'not a Go duration'],
    ['@EVERY 1h', 'write "@every 1h"'],
  ])('rejects %j', (s, reason) => {
    const got = checkCronSchedule(s);
    expect(got).toBeDefined();
    expect(got).toContain(reason);
    expectReasonStyle(got!);
  });

  const fieldSpecs = [
    { name: 'minute', min: 0, max: 59, names: [] as string[] },
    { name: 'hour', min: 0, max: 23, names: [] as string[] },
    { name: 'day-of-month', min: 1, max: 31, names: [] as string[] },
    {
      name: 'month',
      min: 1,
      max: 12,
      names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    },
    { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  ];

  /** A random valid item for a field: *, ?, a value, a range, each with an optional step; names in any case. */
  function item(spec: (typeof fieldSpecs)[number]): fc.Arbitrary<string> {
    const value = fc.integer({ min: spec.min, max: spec.max });
    const show = (v: number): fc.Arbitrary<string> =>
      spec.names.length === 0
        ? fc.constant(String(v))
        : fc.oneof(
            fc.constant(String(v)),
            fc.constantFrom(
              spec.names[v - spec.min]!,
              spec.names[v - spec.min]!.toLowerCase(),
              spec.names[v - spec.min]!.charAt(0) + spec.names[v - spec.min]!.slice(1).toLowerCase(),
            ),
          );
    const base = fc.oneof(
      fc.constantFrom('*', '?'),
      value.chain(show),
      fc.tuple(value, value).chain(([a, b]) => fc.tuple(show(Math.min(a, b)), show(Math.max(a, b))).map(([x, y]) => `${x}-${y}`)),
    );
    return fc.tuple(base, fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined })).map(([b, step]) => (step === undefined ? b : `${b}/${step}`));
  }

  it('accepts every schedule built from valid items', () => {
    const schedule = fc
      .tuple(...fieldSpecs.map((spec) => fc.array(item(spec), { minLength: 1, maxLength: 3 }).map((a) => a.join(','))))
      .map((fields) => fields.join(' '));
    fc.assert(
      fc.property(schedule, (s) => {
        expect(checkCronSchedule(s)).toBeUndefined();
      }),
    );
  });

  it('rejects an out-of-range value in any field, naming the field', () => {
    const bad = fc.integer({ min: 0, max: 4 }).chain((i) =>
      fc
        .integer({ min: 0, max: 1000 })
        .filter((v) => v < fieldSpecs[i]!.min || v > fieldSpecs[i]!.max)
        .map((v) => ({ i, v })),
    );
    fc.assert(
      fc.property(bad, ({ i, v }) => {
        const fields = ['*', '*', '*', '*', '*'];
        fields[i] = String(v);
        const reason = checkCronSchedule(fields.join(' '));
        expect(reason).toMatch(new RegExp(`^${fieldSpecs[i]!.name} field: ${v} is (above|below)`));
      }),
    );
  });

  it('gives well-formed reasons for arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789*?,-/ @JANMONjanmon'.split('')) }), (s) => {
        const reason = checkCronSchedule(s);
        if (reason !== undefined) expectReasonStyle(reason);
      }),
    );
  });
});

describe('checkTimeZone', () => {
  it.each([
    'UTC',
    'Etc/UTC',
    'Europe/Berlin',
    'America/New_York',
    'America/Argentina/Buenos_Aires',
    'America/Port-au-Prince',
    'Asia/Kolkata',
    'Asia/Calcutta',
    'US/Eastern',
    'Etc/GMT-14',
    'Etc/GMT+2',
    'GMT',
    'EST',
    'CST6CDT',
  ])('accepts %j', (tz) => {
    expect(checkTimeZone(tz)).toBeUndefined();
  });

  it.each([
    ['', 'timeZone is empty'],
    ['Local', 'is not allowed'],
    ['local', 'is not allowed'],
    [
      '+02:00',
      'is a UTC offset, not a time zone; use an IANA time zone name such as Europe/Berlin, America/New_York or UTC; for a fixed offset write Etc/GMT-2 (the sign is inverted)',
    ],
    ['-0530', 'is a UTC offset'],
    ['UTC+2', 'write Etc/GMT-2'],
    ['GMT-3', 'write Etc/GMT+3'],
    ['america/new_york', 'has the wrong case; time zone names are case-sensitive: write America/New_York'],
    ['utc', 'write UTC'],
    ['us/eastern', 'case-sensitive'],
    ['Mars/Olympus_Mons', 'is not a known time zone'],
    ['PST', 'is not a known time zone'], // ICU knows it, the IANA database does not
    ['US/Pacific-New', 'not in the tz database Kubernetes uses (tzdata 2025c); write America/Los_Angeles'], // dropped in 2020, ICU still resolves it
    ['SystemV/AST4', 'is not a known time zone'],
    ['Europe/../Berlin', 'is not a time zone name'],
    ['America/Very_Long_City_Name', 'is not a time zone name'],
    ['Europe/Berlin ', 'is not a time zone name'],
    ['/Europe/Berlin', 'is not a time zone name'],
  ])('rejects %j', (tz, reason) => {
    const got = checkTimeZone(tz);
    expect(got).toContain(reason);
    expectReasonStyle(got!);
  });

  it('accepts every zone the runtime lists', () => {
    for (const tz of Intl.supportedValuesOf('timeZone')) expect(checkTimeZone(tz), tz).toBeUndefined();
  });
});
