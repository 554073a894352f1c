/**
 * Keys and header names, following k8s.io/apimachinery/pkg/util/validation (IsConfigMapKey,
 * IsHTTPHeaderName). Each check returns undefined when the value is valid, otherwise the rule,
 * then after a semicolon what is wrong with this value.
 */
import { orList, quote } from './quote.js';

const CONFIG_KEY_RULE = "a ConfigMap or Secret key: letters, digits, '-', '_' and '.', at most 253 characters, not starting with '..'";
const HEADER_RULE = "an HTTP header name: letters, digits and '-'";

/** Each offending character once, e.g. `' ', '!' and "é"`. */
function badChars(s: string, allowed: RegExp): string | undefined {
  const bad = [...new Set(Array.from(s).filter((c) => !allowed.test(c)))];
  if (bad.length === 0) return undefined;
  const shown = bad.map((c) => (/^[\x20-\x7e]$/.test(c) ? `'${c}'` : JSON.stringify(c)));
  return orList(shown.length > 4 ? [...shown.slice(0, 3), 'others'] : shown, 'and');
}

/**
 * A key of a ConfigMap's `data` or a Secret's `data` (also the `key` of a secretKeyRef or
 * configMapKeyRef): it becomes a file name when mounted, hence no '/', no '..' prefix.
 */
export function checkConfigKey(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${CONFIG_KEY_RULE}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (s.length > 253) return fail(`it is ${s.length} characters long`);
  const chars = badChars(s, /[-._a-zA-Z0-9]/);
  if (chars !== undefined) {
    const fixed = s.replace(/[^-._a-zA-Z0-9]+/g, '_').replace(/^\.\.+/, '');
    const hint = fixed !== '' && checkConfigKey(fixed) === undefined ? ` (try ${quote(fixed)})` : '';
    return fail(`it contains ${chars}${hint}`);
  }
  if (s === '.' || s === '..') return fail(`it is ${quote(s)}`);
  if (s.startsWith('..')) return fail("it starts with '..'");
  return undefined;
}

/** An HTTP header name as Kubernetes accepts it in probes (IsHTTPHeaderName). */
export function checkHttpHeaderName(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${HEADER_RULE}; ${problem}`;
  if (s === '') return fail('it is empty');
  const chars = badChars(s, /[-A-Za-z0-9]/);
  return chars === undefined ? undefined : fail(`it contains ${chars}`);
}
