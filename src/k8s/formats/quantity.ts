/**
 * Kubernetes resource quantities (`resource.Quantity`): `500m`, `1.5Gi`, `2`, `1e3`.
 *
 *     quantity ::= [+-] number [suffix]
 *     number   ::= digits | digits "." [digits] | "." digits
 *     suffix   ::= Ki | Mi | Gi | Ti | Pi | Ei            (powers of 1024)
 *                | n | u | m | k | M | G | T | P | E     (powers of 1000)
 *                | (e | E) [+-] digits                   (power of ten)
 *
 * This is what `resource.ParseQuantity` accepts, with two deliberate differences, both of which
 * follow the pattern CRD schemas use for quantities: at least one digit is required (the Go
 * parser reads `Gi`, `.` or `-` as zero), and surrounding whitespace is an error (the API
 * server trims it when decoding JSON).
 */
import { orList, quote } from './quote.js';

/** Binary suffixes and their power of two. */
const BINARY: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

/** Decimal suffixes and their power of ten. */
const DECIMAL: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const EXAMPLES = 'like 500m, 128Mi, 1.5Gi or 2';
const ALL_SUFFIXES = 'Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent like e3';

const SHAPE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/su;
const MAX_INT64 = (1n << 63n) - 1n;

export interface Parts {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
  readonly suffix: string;
}

export type Scale = { readonly base: 2 | 10; readonly exponent: number };

function scaleOf(suffix: string): Scale | undefined {
  const binary = BINARY.get(suffix);
  if (binary !== undefined) return { base: 2, exponent: binary };
  const decimal = DECIMAL.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal };
  const exponent = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  if (exponent) {
    const e = BigInt(exponent[1]!);
    if (e > MAX_INT64 || e < -MAX_INT64 - 1n) return undefined;
    // Beyond ±400 every float64 value is 0 or infinite anyway.
    return { base: 10, exponent: Number(e > 400n ? 400n : e < -400n ? -400n : e) };
  }
  return undefined;
}

/** What the user probably meant by an invalid suffix, as full quantities with their scale. */
function suggestions(number: string, suffix: string): string[] {
  // 1GB, 1GiB, 1kb: drop the byte marker.
  const bare = suffix.length > 1 && /[bB]$/.test(suffix) ? suffix.slice(0, -1) : suffix;
  const lower = bare.toLowerCase();
  const out: string[] = [];
  for (const [b, power] of BINARY) {
    if (b.toLowerCase() === lower) out.push(`"${number}${b}" (2^${power})`);
  }
  if (lower.length === 1) {
    for (const [d, e] of DECIMAL) {
      if (e <= 0 || d.toLowerCase() !== lower) continue;
      out.push(`"${number}${d}" (10^${e})`);
      const b = `${d.toUpperCase()}i`;
      const power = BINARY.get(b);
      if (power !== undefined) out.push(`"${number}${b}" (2^${power})`);
    }
  }
  return out;
}

type Checked = { readonly ok: true; readonly parts: Parts; readonly scale: Scale } | { readonly ok: false; readonly reason: string };

function check(s: string): Checked {
  const fail = (reason: string): Checked => ({ ok: false, reason });
  if (s === '') return fail(`quantity is empty; write a number with an optional unit, ${EXAMPLES}`);
  if (/\s/u.test(s)) {
    const squeezed = s.replace(/\s+/gu, '');
    const retry = squeezed === '' ? undefined : check(squeezed);
    if (retry?.ok) return fail(`${quote(s)} must not contain spaces; write ${quote(squeezed)}`);
    return fail(`${quote(s)} is not a quantity; write a number with an optional unit, ${EXAMPLES}`);
  }
  const m = SHAPE.exec(s)!;
  const parts: Parts = { negative: m[1] === '-', int: m[2] ?? '', frac: m[3] ?? '', suffix: m[4] ?? '' };
  const number = `${m[1]}${m[2]}${m[3] === undefined ? '' : `.${m[3]}`}`;
  if (parts.int === '' && parts.frac === '') {
    if (parts.suffix !== '' && scaleOf(parts.suffix)) {
      return fail(`${quote(s)} has no number; write a number before the unit, like 1${parts.suffix}`);
    }
    return fail(`${quote(s)} is not a quantity; write a number with an optional unit, ${EXAMPLES}`);
  }
  const scale = scaleOf(parts.suffix);
  if (scale) return { ok: true, parts, scale };

  const suffix = parts.suffix;
  if (/^[0-9.]/.test(suffix)) {
    return fail(`${quote(s)} is not a quantity: the number is malformed; write it ${EXAMPLES}`);
  }
  if (/^[eE][+-]?$/.test(suffix)) {
    return fail(`${quote(s)} has an exponent without digits; write it like ${number}e3`);
  }
  if (/^[eE][+-]?[0-9]*\.[0-9]*$/.test(suffix)) {
    return fail(`${quote(s)} has a fractional exponent; the exponent after ${suffix[0]} must be a whole number`);
  }
  if (/^[eE][+-]?[0-9]+$/.test(suffix)) return fail(`${quote(s)} has an exponent that is too large`);
  if (/^[eE][+-]?[0-9]+[A-Za-z]/.test(suffix)) {
    return fail(`${quote(s)} combines an exponent with a unit; use one or the other, like 1e3 or 1k`);
  }
  if (suffix === 'b' || suffix === 'B') {
    return fail(`${quote(s)}: bytes are the default unit, so leave out ${quote(suffix)}; write ${quote(number)}`);
  }
  const hints = suggestions(number, suffix);
  if (hints.length > 0) {
    const lower = suffix.toLowerCase();
    const caseOnly = [...BINARY.keys(), ...DECIMAL.keys()].some((u) => u.toLowerCase() === lower);
    const note = caseOnly ? ' (units are case-sensitive)' : '';
    return fail(`${quote(s)} has an invalid unit ${quote(suffix)}${note}; write ${orList(hints)}`);
  }
  return fail(`${quote(s)} has an invalid unit ${quote(suffix)}; use ${ALL_SUFFIXES}`);
}

/** The parts of a valid quantity (sign, digits, scale), or undefined when `s` is not one. */
export function quantityParts(s: string): (Parts & { readonly scale: Scale }) | undefined {
  const result = check(s);
  return result.ok ? { ...result.parts, scale: result.scale } : undefined;
}

/** Why `s` is not a Kubernetes quantity, or undefined when it is one. */
export function checkQuantity(s: string): string | undefined {
  const result = check(s);
  return result.ok ? undefined : result.reason;
}

/**
 * The value of a quantity in base units (`250m` -> 0.25, `1Gi` -> 1073741824, `1e3` -> 1000), as a
 * float64, for comparisons such as min <= max. Kubernetes' own rounding of values below 1n up to
 * 1n is not applied. Throws a RangeError with the reason when `s` is not a valid quantity.
 */
export function parseQuantity(s: string): number {
  const result = check(s);
  if (!result.ok) throw new RangeError(`invalid quantity: ${result.reason}`);
  const { parts, scale } = result;
  const mantissa = `${parts.int === '' ? '0' : parts.int}.${parts.frac === '' ? '0' : parts.frac}`;
  const magnitude = scale.base === 10 ? Number(`${mantissa}e${scale.exponent}`) : Number(mantissa) * 2 ** scale.exponent;
  if (magnitude === 0) return 0;
  return parts.negative ? -magnitude : magnitude;
}

/** The same byte count with the largest unit that divides it exactly: 1073741824 -> 1Gi, 1500000 -> 1500k. */
function exactWithUnit(n: number): string | undefined {
  if (!Number.isInteger(n)) return undefined;
  for (const [suffix, power] of [...BINARY].reverse()) {
    const unit = 2 ** power;
    if (Math.abs(n) >= unit && n % unit === 0) return `${n / unit}${suffix}`;
  }
  for (const [suffix, power] of [...DECIMAL].reverse()) {
    if (power <= 0) continue;
    const unit = 10 ** power;
    if (Math.abs(n) >= unit && n % unit === 0) return `${n / unit}${suffix}`;
  }
  return undefined;
}

/**
 * Checks a YAML value meant as a size (memory, storage). A string is checked with
 * {@link checkQuantity}; a bare number is an error, since it silently means bytes
 * (`size: 10` is 10 bytes, not 10Gi); anything else is the wrong type.
 */
export function checkQuantityValue(v: unknown): string | undefined {
  if (typeof v === 'string') return checkQuantity(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return `the number ${v} is not a quantity; write a quantity string like "1Gi"`;
    const bytes = Math.abs(v) === 1 ? 'byte' : 'bytes';
    const head = `a bare number (${v}) is ambiguous for a size: it means ${v} ${bytes}`;
    const exact = exactWithUnit(v);
    if (exact !== undefined) return `${head}; write a quantity string with a unit, like "${exact}" (the same amount)`;
    if (Math.abs(v) < 1024) return `${head}; write a quantity string with a unit, like "${v}Gi" or "${v}Mi"`;
    return `${head}; write a quantity string, like "${v}" if bytes are meant, or with a unit such as "1Gi"`;
  }
  const kind = v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
  return `expected a quantity string like "1Gi", got ${kind}`;
}
