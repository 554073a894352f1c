/**
 * Exact values of quantities, for the checks the API server makes on them: resource amounts are
 * at least 0, sizes more than 0, requests at most limits, extended resources whole numbers.
 * Floats would get `0.1 + 0.2` or `1e-9` wrong, so values are fractions of big integers.
 */
import { checkQuantity, quantityParts } from './quantity.js';
import { quote } from './quote.js';

/** `num / den`, with `den > 0`. */
export interface ExactQuantity {
  readonly num: bigint;
  readonly den: bigint;
}

/** The exact value of a valid quantity in base units; throws a RangeError for an invalid one. */
export function exactQuantity(s: string): ExactQuantity {
  const parts = quantityParts(s);
  if (!parts) throw new RangeError(`invalid quantity: ${checkQuantity(s)}`);
  const digits = BigInt(`${parts.int}${parts.frac}` || '0');
  let num = digits;
  let den = 10n ** BigInt(parts.frac.length);
  const { base, exponent } = parts.scale;
  if (base === 2) num *= 2n ** BigInt(exponent);
  else if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den *= 10n ** BigInt(-exponent);
  return { num: parts.negative ? -num : num, den };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  const x = exactQuantity(a);
  const y = exactQuantity(b);
  const d = x.num * y.den - y.num * x.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The value rounded up to a whole number, as Kubernetes' `Quantity.Value()` does. */
export function wholeValue(s: string): bigint {
  const { num, den } = exactQuantity(s);
  return ceilDiv(num, den);
}

/**
 * Whether the quantity is a whole number as Kubernetes decides it for extended resources
 * (`MilliValue() % 1000 == 0`, the milli-value rounded up): `2`, `1k` and `1Ki` are, `0.5` and
 * `1500m` are not.
 */
export function isWholeQuantity(s: string): boolean {
  const { num, den } = exactQuantity(s);
  return ceilDiv(num * 1000n, den) % 1000n === 0n;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** A resource amount (cpu, memory, a request or limit): a quantity of at least 0. */
export function checkResourceQuantity(s: string): string | undefined {
  const syntax = checkQuantity(s);
  if (syntax !== undefined) return syntax;
  if (exactQuantity(s).num < 0n) return `${quote(s)} is negative; a resource amount is 0 or more`;
  return undefined;
}

/** A size (a volume claim's request, a scratch volume's limit): a quantity of more than 0. */
export function checkSize(s: string): string | undefined {
  const syntax = checkQuantity(s);
  if (syntax !== undefined) return syntax;
  const { num } = exactQuantity(s);
  if (num < 0n) return `${quote(s)} is negative; a size must be more than 0, like "1Gi"`;
  if (num === 0n) return `${quote(s)} is zero; a size must be more than 0, like "1Gi"`;
  return undefined;
}
