/**
 * Container image references, following the grammar of distribution/reference (what the
 * container runtimes parse): `[registry[:port]/]repository[:tag][@algorithm:digest]`.
 * Kubernetes only refuses an empty image, so a typo would first show up as an InvalidImageName
 * pod; `kubemin init` checks the answer instead, with the reason.
 */
import { quote } from '../k8s/formats/quote.js';

const RULE = 'an image reference such as redis:7.2 or ghcr.io/acme/shop:1.4.0 ([registry/]repository[:tag][@sha256:digest])';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const MAX_NAME_LENGTH = 255;

/** Undefined when `s` is a valid image reference, else the rule and what is wrong with `s`. */
export function checkImageReference(s: string): string | undefined {
  const problem = imageProblem(s);
  return problem === undefined ? undefined : `${quote(s)} must be ${RULE}; ${problem}`;
}

function imageProblem(s: string): string | undefined {
  if (s === '') return 'it is empty';
  if (/\s/.test(s)) return 'it contains whitespace';
  if (/[^\x21-\x7e]/.test(s)) return 'it contains characters other than printable ASCII';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) return `it starts with a URL scheme (try ${quote(s.slice(scheme[0].length))})`;

  const [named, digest, ...more] = s.split('@');
  if (more.length) return "it contains '@' more than once";
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) return problem;
  }
  const lastSlash = named!.lastIndexOf('/');
  const colon = named!.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? named! : named!.slice(0, colon);
  const tag = colon < 0 ? undefined : named!.slice(colon + 1);
  if (tag !== undefined && !TAG.test(tag)) {
    return tag === ''
      ? "the tag after ':' is empty"
      : `the tag ${quote(tag)} must be letters, digits, '_', '.' and '-', not starting with '.' or '-', at most 128 characters`;
  }
  if (name.length > MAX_NAME_LENGTH) return `the name is ${name.length} characters long (at most ${MAX_NAME_LENGTH})`;
  return nameProblem(name, s.slice(name.length));
}

/** `rest` is the tag and digest after the name, for the suggested fix. */
function nameProblem(name: string, rest: string): string | undefined {
  if (name === '') return 'the repository name is empty';
  const parts = name.split('/');
  // As docker does: the first part names a registry when it looks like a host.
  const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]!));
  const path = hasDomain ? parts.slice(1) : parts;
  if (hasDomain) {
    const problem = domainProblem(parts[0]!);
    if (problem) return problem;
  }
  for (const part of path) {
    if (part === '') return "the repository has an empty path component ('//' or a '/' at an end)";
    if (PATH_COMPONENT.test(part)) continue;
    if (PATH_COMPONENT.test(part.toLowerCase())) return `the repository has uppercase letters (try ${quote(lowercasePath(name, hasDomain) + rest)})`;
    return `the repository part ${quote(part)} must be lowercase letters and digits, separated by '.', '_', '__' or dashes`;
  }
  return undefined;
}

function lowercasePath(name: string, hasDomain: boolean): string {
  if (!hasDomain) return name.toLowerCase();
  const slash = name.indexOf('/');
  return name.slice(0, slash) + name.slice(slash).toLowerCase();
}

function domainProblem(domain: string): string | undefined {
  const portAt = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.indexOf(':');
  const host = portAt < 0 ? domain : domain.slice(0, portAt);
  const port = portAt < 0 ? undefined : domain.slice(portAt + 1);
  if (port !== undefined && !/^[0-9]+$/.test(port)) return `the registry port ${quote(port)} must be a number`;
  if (IPV6_HOST.test(host)) return undefined;
  if (host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) return undefined;
  return `the registry ${quote(host)} must be a host name (letters, digits, '-' and '.') or [IPv6 address]`;
}

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon < 0 ? digest : digest.slice(0, colon);
  const hex = colon < 0 ? '' : digest.slice(colon + 1);
  if (colon < 0 || !DIGEST_ALGORITHM.test(algorithm)) return `the digest after '@' must be algorithm:hex, e.g. sha256:${'0'.repeat(8)}...`;
  if (!/^[a-fA-F0-9]+$/.test(hex)) return `the digest ${quote(hex, 20)} must be hexadecimal`;
  if (algorithm === 'sha256' && hex.length !== 64) return `a sha256 digest has 64 hexadecimal digits, this one ${hex.length}`;
  if (hex.length < 32) return `the digest has ${hex.length} hexadecimal digits (at least 32)`;
  return undefined;
}
