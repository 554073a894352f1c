/**
 * Kubernetes names and keys, following k8s.io/apimachinery/pkg/util/validation.
 * Each check returns undefined when the value is valid, otherwise a reason that states the rule
 * and then, after a semicolon, what is wrong with this particular value.
 */
import { orList, quote } from './quote.js';

const DNS_LABEL_RULE = "a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63 characters";
const DNS_SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain: labels of a-z, 0-9 and '-' separated by '.', " + 'each starting and ending with a letter or digit, at most 253 characters';
const PORT_NAME_RULE =
  "a port name (IANA service name): a-z, 0-9 and '-', at least one letter, " + "no '-' at the start, at the end or twice in a row, at most 15 characters";
const NAME_PART_RULE = "a-z, A-Z, 0-9, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters";
const LABEL_KEY_RULE = `a label key: an optional DNS subdomain prefix and '/', then a name of ${NAME_PART_RULE}`;
const LABEL_VALUE_RULE = `a label value: empty, or ${NAME_PART_RULE}`;
const ENV_VAR_RULE = "an environment variable name: printable ASCII characters except '=', not empty";
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

// Valid values, matched at once: almost every value checked is valid, and finding what is wrong
// with one (below) takes far longer. Each matches exactly the values its check accepts (the
// lengths are checked beside it); test/k8s/formats/names-fast-path.test.ts compares them.
const VALID_DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const VALID_DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALID_IANA_SVC_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VALID_ENV_VAR_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

/** `'_'` for a printable ASCII character, `"\u0000"` or `"é"` otherwise. */
function showChar(c: string): string {
  return /^[\x20-\x7e]$/.test(c) ? `'${c}'` : JSON.stringify(c);
}

/**
 * Shows each offending character once, e.g. `'_', ' ' and "é"`; with `lowercaseOnly`, uppercase
 * letters are summed up as "uppercase letters".
 */
function showChars(s: string, allowed: RegExp, lowercaseOnly = false): string | undefined {
  const upper = lowercaseOnly && /[A-Z]/.test(s);
  const bad = [...new Set(Array.from(s).filter((c) => !allowed.test(c) && !(upper && /[A-Z]/.test(c))))];
  if (bad.length === 0 && !upper) return undefined;
  const shown = bad.slice(0, 4).map(showChar);
  const items = bad.length > 4 ? [...shown.slice(0, 3), 'others'] : shown;
  return orList(upper ? ['uppercase letters', ...items] : items, 'and');
}

/** What is wrong with `s` as a lowercase alphanumeric-and-dash token, most useful fact first. */
function labelProblem(s: string, max: number | undefined): string | undefined {
  if (s === '') return 'it is empty';
  if (max !== undefined && s.length > max) return `it is ${s.length} characters long`;
  if (/[A-Z]/.test(s) && /^[-a-z0-9]*$/.test(s.toLowerCase())) {
    const fixed = s.toLowerCase();
    return DNS_LABEL.test(fixed) ? `it has uppercase letters (try ${quote(fixed)})` : 'it has uppercase letters';
  }
  const chars = showChars(s, /[-a-z0-9]/, true);
  if (chars !== undefined) return `it contains ${chars}`;
  if (s.startsWith('-')) return "it starts with '-'";
  if (s.endsWith('-')) return "it ends with '-'";
  return undefined;
}

/** RFC 1123 label (most resource names, e.g. Service and Namespace names). */
export function checkDnsLabel(s: string): string | undefined {
  return s.length <= 63 && DNS_LABEL.test(s) ? undefined : explainDnsLabel(s);
}

/** checkDnsLabel without its fast path for valid values (for tests). */
export function explainDnsLabel(s: string): string | undefined {
  const problem = labelProblem(s, 63);
  return problem === undefined ? undefined : `${quote(s)} must be ${DNS_LABEL_RULE}; ${problem}`;
}

const DNS_1035_LABEL_RULE = "a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit, at most 63 characters";

/**
 * RFC 1035 label: a Service name. Kubernetes 1.36 also accepts a leading digit (the
 * RelaxedServiceNameValidation feature, beta), earlier versions refuse it: kubemin follows them.
 */
export function checkDns1035Label(s: string): string | undefined {
  return s.length <= 63 && VALID_DNS_1035_LABEL.test(s) ? undefined : explainDns1035Label(s);
}

/** checkDns1035Label without its fast path for valid values (for tests). */
export function explainDns1035Label(s: string): string | undefined {
  const problem = labelProblem(s, 63) ?? (/^[0-9]/.test(s) ? `it starts with a digit (Kubernetes before 1.36 refuses it)` : undefined);
  return problem === undefined ? undefined : `${quote(s)} must be ${DNS_1035_LABEL_RULE}; ${problem}`;
}

/**
 * RFC 1123 subdomain (most other resource names, label key prefixes). As in Kubernetes, only
 * the total length is limited; the labels are not limited to 63 characters each.
 */
export function checkDnsSubdomain(s: string): string | undefined {
  return s.length <= 253 && VALID_DNS_SUBDOMAIN.test(s) ? undefined : explainDnsSubdomain(s);
}

/** checkDnsSubdomain without its fast path for valid values (for tests). */
export function explainDnsSubdomain(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${DNS_SUBDOMAIN_RULE}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (s.length > 253) return fail(`it is ${s.length} characters long`);
  if (/[A-Z]/.test(s) && /^[-.a-z0-9]*$/.test(s.toLowerCase())) {
    const fixed = s.toLowerCase();
    return fail(checkDnsSubdomain(fixed) === undefined ? `it has uppercase letters (try ${quote(fixed)})` : 'it has uppercase letters');
  }
  const chars = showChars(s, /[-.a-z0-9]/, true);
  if (chars !== undefined) return fail(`it contains ${chars}`);
  for (const label of s.split('.')) {
    if (label === '') {
      if (s.startsWith('.')) return fail("it starts with '.'");
      if (s.endsWith('.')) return fail("it ends with '.'");
      return fail("it has an empty label ('..')");
    }
    if (label.startsWith('-')) return fail(`label ${quote(label)} starts with '-'`);
    if (label.endsWith('-')) return fail(`label ${quote(label)} ends with '-'`);
  }
  return undefined;
}

/** A container or Service port name (IANA_SVC_NAME). */
export function checkIanaSvcName(s: string): string | undefined {
  return s.length <= 15 && VALID_IANA_SVC_NAME.test(s) && /[a-z]/.test(s) ? undefined : explainIanaSvcName(s);
}

/** checkIanaSvcName without its fast path for valid values (for tests). */
export function explainIanaSvcName(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${PORT_NAME_RULE}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (s.length > 15) return fail(`it is ${s.length} characters long`);
  if (/[A-Z]/.test(s) && /^[-a-z0-9]*$/.test(s.toLowerCase())) {
    const fixed = s.toLowerCase();
    return fail(checkIanaSvcName(fixed) === undefined ? `it has uppercase letters (try ${quote(fixed)})` : 'it has uppercase letters');
  }
  const chars = showChars(s, /[-a-z0-9]/, true);
  if (chars !== undefined) return fail(`it contains ${chars}`);
  if (!/[a-z]/.test(s)) return fail('it has no letter (a bare port number is not a name)');
  if (s.startsWith('-')) return fail("it starts with '-'");
  if (s.endsWith('-')) return fail("it ends with '-'");
  if (s.includes('--')) return fail("it contains '--'");
  return undefined;
}

/** The part of a label key or label value after any prefix: what is wrong with it, if anything. */
function namePartProblem(s: string, what: string): string | undefined {
  return s.length <= 63 && NAME_PART.test(s) ? undefined : explainNamePart(s, what);
}

/** namePartProblem without its fast path for valid values (exported for tests). */
export function explainNamePart(s: string, what: string): string | undefined {
  if (s.length > 63) return `${what} is ${s.length} characters long`;
  const chars = showChars(s, /[-A-Za-z0-9_.]/);
  if (chars !== undefined) return `${what} contains ${chars}`;
  if (!NAME_PART.test(s)) {
    return /^[A-Za-z0-9]/.test(s) ? `${what} ends with ${showChar(s.slice(-1))}` : `${what} starts with ${showChar(s.slice(0, 1))}`;
  }
  return undefined;
}

/** A label (or annotation) key: `name` or `prefix/name`, the prefix a DNS subdomain. */
export function checkLabelKey(s: string): string | undefined {
  const slash = s.indexOf('/');
  const valid =
    slash === -1
      ? s.length <= 63 && NAME_PART.test(s)
      : slash <= 253 && s.length - slash - 1 <= 63 && VALID_DNS_SUBDOMAIN.test(s.slice(0, slash)) && NAME_PART.test(s.slice(slash + 1));
  return valid ? undefined : explainLabelKey(s);
}

/** checkLabelKey without its fast path for valid values (for tests). */
export function explainLabelKey(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${LABEL_KEY_RULE}; ${problem}`;
  if (s === '') return fail('it is empty');
  const parts = s.split('/');
  if (parts.length > 2) return fail(`it contains ${parts.length - 1} '/'`);
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') return fail("the prefix before '/' is empty");
    if (checkDnsSubdomain(prefix) !== undefined) {
      const fixed = prefix.toLowerCase();
      const hint = checkDnsSubdomain(fixed) === undefined ? ` (try ${quote(`${fixed}/${name}`)})` : '';
      return fail(`the prefix ${quote(prefix)} is not a lowercase DNS subdomain${hint}`);
    }
  }
  if (name === '') return fail(parts.length === 2 ? "the name after '/' is empty" : 'it is empty');
  const problem = namePartProblem(name, parts.length === 2 ? 'the name' : 'it');
  return problem === undefined ? undefined : fail(problem);
}

/** An annotation key: as a label key, but the API server compares it in lowercase, so `Example.com/Note` is one. */
export function checkAnnotationKey(s: string): string | undefined {
  return checkLabelKey(s.toLowerCase()) === undefined ? undefined : checkLabelKey(s);
}

/** A label value: empty, or up to 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
export function checkLabelValue(s: string): string | undefined {
  if (s === '') return undefined;
  const problem = namePartProblem(s, 'it');
  return problem === undefined ? undefined : `${quote(s)} must be ${LABEL_VALUE_RULE}; ${problem}`;
}

/**
 * An environment variable name as current Kubernetes accepts it (RelaxedEnvironmentVariableValidation):
 * one or more printable ASCII characters (space to '~') other than '='. Clusters older than the
 * relaxed rule (before 1.32, unless the feature gate was on) only accept `[-._a-zA-Z][-._a-zA-Z0-9]*`.
 * See {@link warnEnvVarName} for names that are valid but awkward.
 */
export function checkEnvVarName(s: string): string | undefined {
  return VALID_ENV_VAR_NAME.test(s) ? undefined : explainEnvVarName(s);
}

/** checkEnvVarName without its fast path for valid values (for tests). */
export function explainEnvVarName(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${ENV_VAR_RULE}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (s.includes('=')) return fail("it contains '='");
  const chars = showChars(s, /[\x20-\x7e]/);
  if (chars !== undefined) return fail(`it contains ${chars}`);
  return undefined;
}

/**
 * A warning for a valid environment variable name (see {@link checkEnvVarName}) that is not a C
 * identifier `[A-Za-z_][A-Za-z0-9_]*`: shells and many programs cannot read such variables.
 * Undefined when the name is a C identifier, and also when it is invalid (the error says enough).
 */
export function warnEnvVarName(s: string): string | undefined {
  if (checkEnvVarName(s) !== undefined || C_IDENTIFIER.test(s)) return undefined;
  const fixed = s.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
  const problem = /^[0-9]/.test(s) ? 'it starts with a digit' : `it contains ${showChars(s, /[A-Za-z0-9_]/)}`;
  return (
    `${quote(s)} is not a portable environment variable name (letters, digits and '_', not starting with a digit), ` +
    `so shells and many programs cannot read it; ${problem} (consider ${quote(fixed)})`
  );
}

/** An absolute path inside a container, such as a `mountPath`. */
export function checkAbsolutePath(s: string): string | undefined {
  const rule = "an absolute path: starting with '/', without '..' segments or NUL characters";
  const fail = (problem: string): string => `${quote(s)} must be ${rule}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (!s.startsWith('/')) return fail(`it does not start with '/' (try ${quote(`/${s}`)})`);
  if (s.includes('\0')) return fail('it contains a NUL character');
  if (s.split('/').includes('..')) return fail("it contains a '..' segment");
  return undefined;
}
