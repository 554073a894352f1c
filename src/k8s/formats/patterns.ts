/**
 * Regular expressions for kubemin's string formats, for editors: a JSON Schema `format` of kubemin's
 * own is invisible to yaml-language-server, a `pattern` is not. The CLI keeps checking the formats
 * (their reasons are better); the editor schema (src/spec/editor-schema.ts) adds these beside them.
 *
 * Each pattern is an ECMAScript regular expression that compiles with and without the `u` flag (as
 * editors try both). Every value its format accepts matches it: an editor never shows an error the
 * CLI would not. `exact` patterns also refuse everything the format refuses; the others leave out
 * what a regular expression cannot say (a duration's whole milliseconds, a cron range's bounds).
 * test/k8s/formats/patterns.test.ts holds each to this against its format.
 */
import { LINUX_CAPABILITIES } from './capabilities.js';
import { TZDATA_NAMES } from './time-zone-names.js';

export interface FormatPattern {
  readonly pattern: string;
  /** Whether the pattern refuses everything the format refuses, too. */
  readonly exact: boolean;
  /** The rule, shown by editors when the pattern fails (the format's reasons say it to the CLI). */
  readonly message: string;
}

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(?:\\.${LABEL})*`;
const NAME_PART = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
/**
 * `prefix/name` or `name`: the prefix a DNS subdomain of at most 253, the name at most 63 characters,
 * followed by `end` (the end of the value, or what follows the key in a field path).
 */
const labelKey = (subdomain: string, namePart: string, end = '$'): string => `(?:(?=[^/]{1,253}/)${subdomain}/)?(?=[^/]{1,63}${end})${namePart}`;
const LABEL_KEY = labelKey(SUBDOMAIN, NAME_PART);
/**
 * Annotation keys are compared in lowercase: any case in the prefix, and the Kelvin sign (U+212A),
 * which JavaScript lowercases to `k`, wherever a letter may be.
 */
const ANY_CASE_LABEL = '[a-zA-Z0-9\\u212A](?:[-a-zA-Z0-9\\u212A]*[a-zA-Z0-9\\u212A])?';
const annotationKey = (end?: string): string =>
  labelKey(`${ANY_CASE_LABEL}(?:\\.${ANY_CASE_LABEL})*`, '(?:[A-Za-z0-9\\u212A][-A-Za-z0-9\\u212A_.]*)?[A-Za-z0-9\\u212A]', end);
const ANNOTATION_KEY = annotationKey();

const NUMBER = '(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)';
const QUANTITY_SUFFIX = '(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?';
const ZERO = '(?:0+(?:\\.0*)?|\\.0+)';
/** A quantity of more than 0: no minus sign, a digit other than 0 before the suffix. */
const POSITIVE_QUANTITY = `\\+?(?=[0-9.]*[1-9])${NUMBER}${QUANTITY_SUFFIX}`;

/** Go's `unicode.IsSpace`, which cron fields are split on (cron.ts). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const CRON_FIELD = '[^\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const GO_DURATION = `[-+]?(?:0|(?:${NUMBER}(?:ns|us|\\u00b5s|\\u03bcs|ms|s|m|h))+)`;

const IPV4_PART = '0*(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${IPV4_PART}(?:\\.${IPV4_PART}){3}`;

/** Regular-expression syntax characters escaped, for names put into an alternation. */
const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (names: Iterable<string>): string => `(?:${[...names].map(literal).join('|')})`;

const whole = (body: string): string => `^${body}$`;

export const FORMAT_PATTERNS: Readonly<Record<string, FormatPattern>> = {
  'dns-label': {
    pattern: whole(`(?=.{1,63}$)${LABEL}`),
    exact: true,
    message: "a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63 characters",
  },
  'dns-1035-label': {
    pattern: whole('(?=.{1,63}$)[a-z](?:[-a-z0-9]*[a-z0-9])?'),
    exact: true,
    message: "a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit, at most 63 characters",
  },
  'dns-subdomain': {
    pattern: whole(`(?=.{1,253}$)${SUBDOMAIN}`),
    exact: true,
    message: "a lowercase RFC 1123 subdomain: labels of a-z, 0-9 and '-' separated by '.', at most 253 characters",
  },
  'label-key': {
    pattern: whole(LABEL_KEY),
    exact: true,
    message: "a label key: an optional DNS subdomain prefix and '/', then a-z, A-Z, 0-9, '-', '_' and '.', alphanumeric at both ends, at most 63 characters",
  },
  'label-value': {
    pattern: whole(`(?:(?=.{1,63}$)${NAME_PART})?`),
    exact: true,
    message: "a label value: empty, or a-z, A-Z, 0-9, '-', '_' and '.', alphanumeric at both ends, at most 63 characters",
  },
  'annotation-key': {
    pattern: whole(ANNOTATION_KEY),
    exact: true,
    message:
      "an annotation key: an optional DNS subdomain prefix and '/', then a-z, A-Z, 0-9, '-', '_' and '.', alphanumeric at both ends, at most 63 characters",
  },
  'config-key': {
    pattern: whole('(?!\\.\\.)(?!\\.$)[-._a-zA-Z0-9]{1,253}'),
    exact: true,
    message: "a ConfigMap or Secret key: letters, digits, '-', '_' and '.', at most 253 characters, not starting with '..'",
  },
  'port-name': {
    pattern: whole('(?=.{1,15}$)(?=[-0-9]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*'),
    exact: true,
    message: "a port name: a-z, 0-9 and '-', at least one letter, no '-' at the start, at the end or twice in a row, at most 15 characters",
  },
  'env-name': {
    pattern: whole('[ -<>-~]+'),
    exact: true,
    message: "an environment variable name: printable ASCII characters except '='",
  },
  'env-field-path': {
    pattern: whole(
      `(?:${oneOf(['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'])}` +
        `|metadata\\.labels\\['${labelKey(SUBDOMAIN, NAME_PART, "'")}'\\]|metadata\\.annotations\\['${annotationKey("'")}'\\])`,
    ),
    exact: true,
    message:
      "a pod field: metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName, status.hostIP(s), status.podIP(s), metadata.labels['<key>'] or metadata.annotations['<key>']",
  },
  'http-header-name': { pattern: whole('[-A-Za-z0-9]+'), exact: true, message: "an HTTP header name: letters, digits and '-'" },
  'absolute-path': {
    pattern: whole('(?![\\s\\S]*/\\.\\.(?:/|$))/[^\\u0000]*'),
    exact: true,
    message: "an absolute path: starting with '/', without '..' segments",
  },
  'relative-path': {
    pattern: whole('(?!/)(?!(?:[\\s\\S]*/)?\\.\\.(?:/|$))[\\s\\S]+'),
    exact: true,
    message: "a relative path inside the volume, not starting with '/', without '..' segments",
  },
  'ingress-path': {
    pattern: whole('(?![\\s\\S]*(?://|/\\./|/\\.\\./|%2[fF]))(?![\\s\\S]*/\\.\\.?$)/[\\s\\S]*'),
    exact: true,
    message: "an absolute URL path such as /api, without '//', '/./', '/../' or %2F, not ending in '/.' or '/..'",
  },
  'hostname-wildcard': {
    pattern: whole(`(?!${IPV4}$)(?=.{1,253}$)(?:\\*\\.)?${SUBDOMAIN}`),
    exact: true,
    message: "a host name: a lowercase DNS name such as shop.example.com, or '*.' followed by one; not an IP address",
  },
  image: {
    pattern: whole('[^\\s\\u0000-\\u001f\\u007f-\\u009f]+'),
    exact: true,
    message: 'an image reference such as ghcr.io/acme/shop:1.4.0, without spaces',
  },
  quantity: {
    pattern: whole(`[+-]?${NUMBER}${QUANTITY_SUFFIX}`),
    exact: false,
    message: 'a Kubernetes quantity such as 250m, 128Mi, 1.5Gi or 2',
  },
  'resource-quantity': {
    pattern: whole(`(?:\\+?${NUMBER}|-${ZERO})${QUANTITY_SUFFIX}`),
    exact: false,
    message: 'a Kubernetes quantity of at least 0, such as 250m, 128Mi, 1.5Gi or 2',
  },
  size: {
    pattern: whole(POSITIVE_QUANTITY),
    exact: false,
    message: 'a size of more than 0 with a unit, such as 1Gi or 500Mi',
  },
  'resource-name': {
    pattern: whole(
      `(?:cpu|memory|ephemeral-storage|hugepages-${POSITIVE_QUANTITY}` +
        `|(?!hugepages-)(?!requests\\.)(?![\\s\\S]*kubernetes\\.io/)(?=[^/]{1,244}/)${SUBDOMAIN}/(?=[^/]{1,63}$)${NAME_PART})`,
    ),
    exact: false,
    message: 'a container resource: cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource <domain>/<name> such as nvidia.com/gpu',
  },
  duration: {
    pattern: whole(`\\+?(?=[^1-9]*[1-9])(?:${NUMBER}(?:ms|s|m|h))+`),
    exact: false,
    message: 'a positive duration with the units h, m, s and ms, such as 90s, 5m or 1h30m',
  },
  cron: {
    pattern: whole(
      `(?![\\s\\S]*TZ)(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|@every ${GO_DURATION}` +
        `|(?!${GO_SPACE}*@)${GO_SPACE}*${CRON_FIELD}(?:${GO_SPACE}+${CRON_FIELD}){4}${GO_SPACE}*)`,
    ),
    exact: false,
    message: 'a cron schedule of 5 fields (minute hour day-of-month month day-of-week) such as "0 3 * * *", or @daily, @hourly, @every 1h...',
  },
  'time-zone': {
    pattern: whole(oneOf([...TZDATA_NAMES].sort())),
    exact: true,
    message: 'an IANA time zone name such as Europe/Berlin, America/New_York or UTC (case-sensitive)',
  },
  'linux-capability': {
    pattern: whole(oneOf(['ALL', ...LINUX_CAPABILITIES])),
    exact: true,
    message: 'a Linux capability without the CAP_ prefix, such as NET_BIND_SERVICE, or ALL',
  },
};
