/**
 * CronJob `spec.schedule` and `spec.timeZone`.
 *
 * {@link checkCronSchedule} accepts exactly what Kubernetes accepts: the schedule is parsed with
 * robfig/cron v3 `ParseStandard`, and since Kubernetes 1.27 any schedule containing `TZ` is
 * rejected for new objects. The parser below mirrors robfig's, quirks included:
 *
 * - fields are split on any (Unicode) whitespace, so tabs and repeated spaces are fine;
 * - empty items in a comma list are dropped (`1,,2` and even `,` are accepted);
 * - `?` is a synonym of `*` in every field, not only day-of-month and day-of-week;
 * - when an item starts with `*` or `?`, anything after a `-` is ignored (`*-5` means `*`);
 * - `N/step` means `N-max/step`; the step must be at least 1;
 * - numbers go through Go's `strconv.Atoi`, so `+5` and `007` are numbers;
 * - day-of-week is 0-6 (7 is rejected), names are the three-letter English ones, any case;
 * - descriptors are case-sensitive and must match exactly (no surrounding spaces);
 * - `@every` takes anything Go's `time.ParseDuration` accepts (robfig rounds values below
 *   one second, zero and negative ones included, up to one second).
 *
 * Calendar impossibilities such as `0 0 31 2 *` are valid syntax (such a job simply never runs).
 */
import { checkGoDuration } from './duration.js';
import { orList, quote } from './quote.js';
import { TZDATA_NAMES, TZDATA_VERSION } from './time-zone-names.js';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: ReadonlyMap<string, number>;
  /** How the names are described in reasons, e.g. `JAN-DEC`. */
  readonly namesHint?: string;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: new Map(MONTH_NAMES.map((n, i) => [n, i + 1])),
    namesHint: 'a month name (JAN-DEC)',
  },
  {
    name: 'day-of-week',
    min: 0,
    max: 6,
    names: new Map(DAY_NAMES.map((n, i) => [n, i])),
    namesHint: 'a day name (SUN-SAT)',
  },
];

const DESCRIPTORS: readonly string[] = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const EVERY = '@every ';

/** Go's `unicode.IsSpace`, which `strings.Fields` splits on (JS `\s` differs: it has U+FEFF, lacks U+0085). */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_FIELDS_SEPARATOR = new RegExp(`[${GO_SPACE}]+`, 'u');
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'gu');

const MAX_INT64 = (1n << 63n) - 1n;

/** Go's `strconv.Atoi` on a 64-bit platform, or undefined when it fails. */
function atoi(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > MAX_INT64 || v < -MAX_INT64 - 1n ? undefined : v;
}

type Parsed = { readonly value: bigint } | { readonly reason: string };

function parseNumber(token: string, what: string, spec: FieldSpec): Parsed {
  const v = atoi(token);
  if (v === undefined) {
    const expected = spec.namesHint ? `a number or ${spec.namesHint}` : 'a number';
    if (token === '') return { reason: `${spec.name} field: ${what} is missing; expected ${expected}` };
    return { reason: `${spec.name} field: ${quote(token)} is not ${expected}` };
  }
  if (v < 0n) return { reason: `${spec.name} field: ${token} is negative` };
  return { value: v };
}

function parseIntOrName(token: string, what: string, spec: FieldSpec): Parsed {
  const named = spec.names?.get(token.toLowerCase());
  if (named !== undefined) return { value: BigInt(named) };
  return parseNumber(token, what, spec);
}

/** One item of a comma list (robfig's `getRange`): the reason it is invalid, or undefined. */
function checkRange(expr: string, spec: FieldSpec): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleValue = lowAndHigh.length === 1;
  const min = BigInt(spec.min);
  const max = BigInt(spec.max);
  let start: bigint;
  let end: bigint;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = min;
    end = max;
  } else {
    const low = parseIntOrName(lowAndHigh[0]!, 'the start of a range', spec);
    if ('reason' in low) return low.reason;
    start = low.value;
    if (lowAndHigh.length === 1) {
      end = start;
    } else if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1]!, 'the end of a range', spec);
      if ('reason' in high) return high.reason;
      end = high.value;
    } else {
      return `${spec.name} field: ${quote(expr)} has too many '-'; a range is a-b`;
    }
  }

  let step = 1n;
  if (rangeAndStep.length === 2) {
    const stepText = rangeAndStep[1]!;
    const v = atoi(stepText);
    if (v === undefined) {
      return stepText === ''
        ? `${spec.name} field: ${quote(expr)} has no step after '/'; write e.g. */5`
        : `${spec.name} field: step ${quote(stepText)} in ${quote(expr)} is not a number`;
    }
    if (v < 0n) return `${spec.name} field: step ${stepText} in ${quote(expr)} is negative; it must be at least 1`;
    step = v;
    // robfig: "N/step" means "N-max/step".
    if (singleValue) end = max;
  } else if (rangeAndStep.length > 2) {
    return `${spec.name} field: ${quote(expr)} has more than one '/'`;
  }

  if (start < min) return `${spec.name} field: ${lowAndHigh[0]} is below ${spec.min}`;
  if (end > max) {
    const hint = spec.name === 'day-of-week' && end === 7n ? ' (Sunday is 0)' : '';
    return `${spec.name} field: ${singleValue ? lowAndHigh[0] : lowAndHigh[1]} is above ${spec.max}${hint}`;
  }
  if (start > end) {
    if (start > max) return `${spec.name} field: ${lowAndHigh[0]} is above ${spec.max}`;
    if (end < min) return `${spec.name} field: ${lowAndHigh[1]} is below ${spec.min}`;
    return (
      `${spec.name} field: range ${quote(rangeAndStep[0]!)} runs backwards; ranges cannot wrap around, ` + `so write ${span(start, max)},${span(min, end)}`
    );
  }
  if (step === 0n) return `${spec.name} field: step in ${quote(expr)} must be at least 1`;
  return undefined;
}

function span(from: bigint, to: bigint): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

function checkDescriptor(s: string): string | undefined {
  if (DESCRIPTORS.includes(s)) return undefined;
  if (s.startsWith(EVERY)) {
    const duration = s.slice(EVERY.length);
    const problem = checkGoDuration(duration);
    return problem === undefined ? undefined : `@every needs a Go duration such as 1h30m: ${problem}`;
  }
  if (s === '@every') return `@every needs a duration, e.g. "@every 1h30m"`;
  const trimmed = s.replace(GO_TRIM, '');
  const lower = trimmed.toLowerCase();
  if (DESCRIPTORS.includes(lower) || lower.startsWith('@every')) {
    const fixed = lower.startsWith('@every') ? `@every ${trimmed.slice(6).replace(GO_TRIM, '')}` : lower;
    return `${quote(s)} is not a valid descriptor; descriptors are lowercase with no extra spaces: write ${quote(fixed)}`;
  }
  return `${quote(s)} is not a known descriptor; use ${orList([...DESCRIPTORS, '@every <duration>'])}`;
}

/**
 * Why `s` is not a valid Kubernetes CronJob `spec.schedule`, or undefined when it is one.
 * See the module comment for the exact rules.
 */
export function checkCronSchedule(s: string): string | undefined {
  if (s === '') return 'schedule is empty; write 5 fields like "0 3 * * *" or a descriptor like @daily';
  const tzPrefix = /^(CRON_TZ|TZ)=(\S*)/.exec(s);
  if (tzPrefix) {
    const zone = tzPrefix[2] ?? '';
    const set = zone === '' ? 'set the timeZone field' : `set timeZone: ${zone}`;
    return `schedule must not start with ${tzPrefix[1]}= (Kubernetes rejects it since 1.27); remove it and ${set} instead`;
  }
  if (s.includes('TZ')) {
    return 'schedule must not contain TZ or CRON_TZ (Kubernetes rejects it since 1.27); use the timeZone field instead';
  }
  if (s.startsWith('@')) return checkDescriptor(s);

  const trimmed = s.replace(GO_TRIM, '');
  const fields = trimmed === '' ? [] : trimmed.split(GO_FIELDS_SEPARATOR);
  if (fields.length === 0) {
    return 'schedule is blank; write 5 fields like "0 3 * * *" or a descriptor like @daily';
  }
  if (trimmed.startsWith('@')) {
    return `${quote(s)} has spaces before the descriptor; write ${quote(trimmed)}`;
  }
  if (fields.length !== 5) {
    const extra = fields.length === 6 ? ' (there is no seconds field)' : fields.length === 7 ? ' (there are no seconds or year fields)' : '';
    return `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}${extra}`;
  }
  for (const [i, field] of fields.entries()) {
    const spec = FIELDS[i]!;
    // robfig splits with strings.FieldsFunc, which drops empty items.
    for (const item of field.split(',')) {
      if (item === '') continue;
      const reason = checkRange(item, spec);
      if (reason !== undefined) return reason;
    }
  }
  return undefined;
}

let knownZones: ReadonlyMap<string, string> | undefined;

/** The names of the tz database, keyed by lower case. */
function zonesByLowerCase(): ReadonlyMap<string, string> {
  knownZones ??= new Map([...TZDATA_NAMES].map((n) => [n.toLowerCase(), n]));
  return knownZones;
}

/** The characters Kubernetes allows in each `/`-separated part of `timeZone`. */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** The zone ICU (Intl) takes a name for: it knows aliases the tz database has dropped. */
function resolvedTimeZone(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * Why `tz` is not a valid CronJob `spec.timeZone`, or undefined when it is one: a name of the
 * IANA time zone database as Go's `time.LoadLocation` knows it (TZDATA_NAMES, the API server's),
 * with its exact case, not `Local`, not a UTC offset, and within Kubernetes' character rules.
 * Aliases the database has dropped (`US/Pacific-New`) or never had (`PST`), which ICU still
 * resolves, are refused with the name to write instead.
 */
export function checkTimeZone(tz: string): string | undefined {
  const iana = 'an IANA time zone name such as Europe/Berlin, America/New_York or UTC';
  const offsetReason = (sign: string, hh: string, mm: string | undefined): string => {
    const hours = Number(hh);
    // Etc/GMT zones use POSIX signs: Etc/GMT-2 is two hours ahead of UTC.
    const etc =
      Number(mm ?? '0') === 0 && hours > 0 && hours <= 12 ? `; for a fixed offset write Etc/GMT${sign === '+' ? '-' : '+'}${hours} (the sign is inverted)` : '';
    return `${quote(tz)} is a UTC offset, not a time zone; use ${iana}${etc}`;
  };
  if (tz === '') return `timeZone is empty; use ${iana}`;
  if (tz.toLowerCase() === 'local') {
    return `${quote(tz)} is not allowed; timeZone must be an explicit IANA time zone such as Europe/Berlin or UTC`;
  }
  const bareOffset = /^([+-])([0-9]{1,2})(?::?([0-9]{2}))?$/.exec(tz);
  if (bareOffset) return offsetReason(bareOffset[1]!, bareOffset[2]!, bareOffset[3]);
  const badPart = tz.split('/').find((p) => p === '.' || p === '..' || p.startsWith('-') || !TIME_ZONE_PART.test(p));
  if (badPart !== undefined) {
    return `${quote(tz)} is not a time zone name; use ${iana} (each part between '/' is 1-14 of A-Z, a-z, 0-9, '.', '-', '_', '+')`;
  }
  if (TZDATA_NAMES.has(tz)) return undefined;
  const exact = zonesByLowerCase().get(tz.toLowerCase());
  if (exact !== undefined) return `${quote(tz)} has the wrong case; time zone names are case-sensitive: write ${exact}`;
  const prefixedOffset = /^(?:UTC|GMT)([+-])([0-9]{1,2})(?::?([0-9]{2}))?$/i.exec(tz);
  if (prefixedOffset) return offsetReason(prefixedOffset[1]!, prefixedOffset[2]!, prefixedOffset[3]);
  const resolved = resolvedTimeZone(tz);
  if (resolved !== undefined && TZDATA_NAMES.has(resolved)) {
    return `${quote(tz)} is not a known time zone: it is not in the tz database Kubernetes uses (tzdata ${TZDATA_VERSION}); write ${resolved}`;
  }
  return `${quote(tz)} is not a known time zone; use ${iana}`;
}
