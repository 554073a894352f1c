/**
 * Durations.
 *
 * Two dialects share one scanner that follows Go's `time.ParseDuration` exactly
 * (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or a lone `0`):
 *
 * - {@link checkGoDuration}: everything Go accepts (units ns, us, µs, ms, s, m, h; signs; zero).
 *   Used where Kubernetes itself parses the value, e.g. `@every <duration>` in a CronJob schedule.
 * - {@link parseDuration} / {@link checkDuration}: kubemin timeouts. Same syntax, but only the
 *   units ms, s, m and h, strictly positive, and a whole number of milliseconds.
 */
import { quote } from './quote.js';

const NS_PER_MS = 1_000_000n;
const TWO_POW_63 = 1n << 63n;
const MAX_INT64 = TWO_POW_63 - 1n;

/** Every unit Go's `time.ParseDuration` knows, in nanoseconds. */
const GO_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // µs, MICRO SIGN
  ['\u03bcs', 1_000n], // μs, GREEK SMALL LETTER MU
  ['ms', NS_PER_MS],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** The units kubemin timeouts accept. */
const KUBEMIN_UNITS: ReadonlySet<string> = new Set(['ms', 's', 'm', 'h']);

const EXAMPLES = 'write it like 5m, 90s or 1h30m';

interface Part {
  /** Digits before the decimal point (may be empty, as in `.5h`). */
  readonly int: string;
  /** Digits after the decimal point (empty when there is none or it is bare, as in `1.h`). */
  readonly frac: string;
  readonly unit: string;
}

type Scan =
  { readonly ok: true; readonly negative: boolean; readonly parts: readonly Part[] } | { readonly ok: false; readonly problem: 'syntax' | 'missing-unit' };

/** Splits a duration the way Go's `time.ParseDuration` does; `parts` is empty for the special `0`. */
function scan(s: string): Scan {
  let rest = s;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, negative, parts: [] };
  if (rest === '') return { ok: false, problem: 'syntax' };
  const parts: Part[] = [];
  const component = /^([0-9]*)(?:\.([0-9]*))?([^.0-9]*)/;
  while (rest !== '') {
    const m = component.exec(rest);
    const int = m?.[1] ?? '';
    const frac = m?.[2] ?? '';
    const unit = m?.[3] ?? '';
    // The next character must be [0-9.], and at least one digit must be on either side of a point.
    if (!m || (int === '' && frac === '')) {
      return { ok: false, problem: 'syntax' };
    }
    if (unit === '') return { ok: false, problem: 'missing-unit' };
    parts.push({ int, frac, unit });
    rest = rest.slice(m[0].length);
  }
  return { ok: true, negative, parts };
}

/** Go's `leadingInt`: the value, or undefined when it exceeds 1<<63. */
function leadingInt(digits: string): bigint | undefined {
  if (digits === '') return 0n;
  const v = BigInt(digits);
  return v > TWO_POW_63 ? undefined : v;
}

/** Go's `leadingFraction`: digits are taken until the numerator would overflow, the rest ignored. */
function leadingFraction(digits: string): { f: bigint; scale: bigint } {
  let f = 0n;
  let scale = 1n;
  for (const c of digits) {
    if (f > MAX_INT64 / 10n) break;
    const y = f * 10n + BigInt(c);
    if (y > TWO_POW_63) break;
    f = y;
    scale *= 10n;
  }
  return { f, scale };
}

type Evaluated =
  | { readonly ok: true; readonly nanoseconds: bigint }
  | { readonly ok: false; readonly problem: 'unknown-unit'; readonly unit: string }
  | { readonly ok: false; readonly problem: 'overflow' };

/**
 * Sums the parts as Go does, with its overflow limits. Fractions are computed exactly and
 * truncated to whole nanoseconds (Go goes through float64, which can differ by 1ns at most).
 */
function evaluate(negative: boolean, parts: readonly Part[]): Evaluated {
  let total = 0n;
  for (const part of parts) {
    const unit = GO_UNITS.get(part.unit);
    if (unit === undefined) return { ok: false, problem: 'unknown-unit', unit: part.unit };
    let v = leadingInt(part.int);
    if (v === undefined || v > TWO_POW_63 / unit) return { ok: false, problem: 'overflow' };
    v *= unit;
    const { f, scale } = leadingFraction(part.frac);
    if (f > 0n) {
      v += (f * unit) / scale;
      if (v > TWO_POW_63) return { ok: false, problem: 'overflow' };
    }
    total += v;
    if (total > TWO_POW_63) return { ok: false, problem: 'overflow' };
  }
  if (!negative && total > MAX_INT64) return { ok: false, problem: 'overflow' };
  return { ok: true, nanoseconds: negative ? -total : total };
}

/**
 * Go's `time.ParseDuration`, in nanoseconds (negative and zero included), or undefined when Go
 * would reject the string.
 */
export function parseGoDuration(s: string): bigint | undefined {
  const scanned = scan(s);
  if (!scanned.ok) return undefined;
  const value = evaluate(scanned.negative, scanned.parts);
  return value.ok ? value.nanoseconds : undefined;
}

/** Whether Go's `time.ParseDuration` accepts `s`; the reason when it does not. */
export function checkGoDuration(s: string): string | undefined {
  const goUnits = 'h, m, s, ms, us or ns';
  if (s === '') return `duration is empty; write a Go duration like 1h30m, 90s or 500ms`;
  const scanned = scan(s);
  if (!scanned.ok) {
    if (scanned.problem === 'missing-unit') {
      return `${quote(s)} has a number without a unit; Go durations need one of ${goUnits}, e.g. 90s`;
    }
    return `${quote(s)} is not a Go duration; write it like 1h30m, 90s or 500ms`;
  }
  const value = evaluate(scanned.negative, scanned.parts);
  if (value.ok) return undefined;
  if (value.problem === 'overflow') return `${quote(s)} is too long; Go durations stop at about 2562047h`;
  if (!/^\p{L}+$/u.test(value.unit)) return `${quote(s)} is not a Go duration; write it like 1h30m, 90s or 500ms`;
  return `${quote(s)} has unknown unit ${quote(value.unit)}; Go durations use ${goUnits}`;
}

type Analysed = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly reason: string };

/** Unit spellings people try, mapped to the unit they meant. */
const UNIT_ALIASES: ReadonlyMap<string, string> = new Map([
  ['millisecond', 'ms'],
  ['milliseconds', 'ms'],
  ['msec', 'ms'],
  ['msecs', 'ms'],
  ['millis', 'ms'],
  ['sec', 's'],
  ['secs', 's'],
  ['second', 's'],
  ['seconds', 's'],
  ['min', 'm'],
  ['mins', 'm'],
  ['minute', 'm'],
  ['minutes', 'm'],
  ['hr', 'h'],
  ['hrs', 'h'],
  ['hour', 'h'],
  ['hours', 'h'],
]);

function join(parts: readonly Part[], unitOf: (p: Part) => string): string {
  return parts.map((p) => `${p.int}${p.frac === '' ? '' : `.${p.frac}`}${unitOf(p)}`).join('');
}

function analyse(s: string): Analysed {
  const fail = (reason: string): Analysed => ({ ok: false, reason });
  if (s === '') return fail(`duration is empty; ${EXAMPLES}`);
  if (/\s/u.test(s)) {
    const squeezed = s.replace(/\s+/gu, '');
    const retry = squeezed === '' ? undefined : analyse(squeezed);
    if (retry?.ok) return fail(`${quote(s)} must not contain spaces; write ${squeezed}`);
    return fail(`${quote(s)} is not a duration; ${EXAMPLES}`);
  }
  if (/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(s)) {
    if (/^[-+]?[0.]+$/.test(s)) return fail(`${quote(s)} is zero; a duration must be positive, like 30s`);
    const n = s.replace(/^\+/, '');
    return fail(`${quote(s)} has no unit; write it like ${n}s or ${n}m`);
  }
  const scanned = scan(s);
  if (!scanned.ok) return fail(`${quote(s)} is not a duration; ${EXAMPLES}`);
  const { negative, parts } = scanned;

  const badUnits = parts.filter((p) => !KUBEMIN_UNITS.has(p.unit));
  if (badUnits.length > 0) {
    const unit = badUnits[0]!.unit;
    if (!/^\p{L}+$/u.test(unit)) return fail(`${quote(s)} is not a duration; ${EXAMPLES}`);
    if (parts.every((p) => KUBEMIN_UNITS.has(p.unit.toLowerCase()))) {
      return fail(`${quote(s)}: units are lowercase; write ${join(parts, (p) => p.unit.toLowerCase())}`);
    }
    if (parts.every((p) => KUBEMIN_UNITS.has(p.unit) || UNIT_ALIASES.has(p.unit.toLowerCase()))) {
      const fixed = join(parts, (p) => (KUBEMIN_UNITS.has(p.unit) ? p.unit : UNIT_ALIASES.get(p.unit.toLowerCase())!));
      return fail(`${quote(s)} has unknown unit ${quote(unit)}; write ${fixed}`);
    }
    if (/^(?:d|days?)$/i.test(unit)) {
      const whole = /^\+?([0-9]+)(?:d|days?)$/i.exec(s);
      const hint = whole ? `write ${BigInt(whole[1]!) * 24n}h` : 'write days as hours, e.g. 48h';
      return fail(`${quote(s)}: days are not supported; ${hint}`);
    }
    if (GO_UNITS.has(unit)) {
      return fail(`${quote(s)}: units below a millisecond are not supported; use ms, s, m or h`);
    }
    return fail(`${quote(s)} has unknown unit ${quote(unit)}; use h, m, s or ms, like 1h30m`);
  }
  if (negative) return fail(`${quote(s)} is negative; a duration must be positive, like 5m`);

  const value = evaluate(negative, parts);
  if (!value.ok) return fail(`${quote(s)} is too long; the maximum is about 2562047h`);
  if (value.nanoseconds === 0n) return fail(`${quote(s)} is zero; a duration must be positive, like 30s`);
  if (value.nanoseconds % NS_PER_MS !== 0n) {
    return fail(`${quote(s)} is not a whole number of milliseconds`);
  }
  return { ok: true, ms: Number(value.nanoseconds / NS_PER_MS) };
}

/**
 * A kubemin timeout in milliseconds: Go duration syntax with units ms, s, m and h
 * (`500ms`, `90s`, `5m`, `1h30m`, `1.5h`). Undefined for anything else, including bare numbers,
 * negative or zero durations and values that are not a whole number of milliseconds.
 */
export function parseDuration(s: string): number | undefined {
  const result = analyse(s);
  return result.ok ? result.ms : undefined;
}

/** Why `s` is not a kubemin duration (see {@link parseDuration}), or undefined when it is one. */
export function checkDuration(s: string): string | undefined {
  const result = analyse(s);
  return result.ok ? undefined : result.reason;
}

/**
 * The canonical short form of a duration in milliseconds: hours, minutes, seconds and
 * milliseconds, largest first, zero parts left out (`5400000` -> `1h30m`, `90000` -> `1m30s`,
 * `1500` -> `1s500ms`). Hours are not folded into days. `0` gives `0s`.
 * Throws a RangeError for negative, fractional or unsafe numbers.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`formatDuration needs a non-negative whole number of milliseconds, got ${ms}`);
  }
  if (ms === 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}${rest ? `${rest}ms` : ''}`;
}
