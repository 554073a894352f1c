/**
 * Paths the API server checks: a mount's subPath (a relative path that stays inside the
 * volume) and an Ingress path (absolute, and for Prefix and Exact matches free of sequences a
 * proxy would normalise away). Container mount paths are in names.ts (checkAbsolutePath).
 */
import { orList, quote } from './quote.js';

/** `subPath` of a volume mount: relative, without '..' segments (validateLocalDescendingPath). */
export function checkRelativePath(s: string): string | undefined {
  const rule = "a relative path inside the volume, without '..' segments";
  const fail = (problem: string): string => `${quote(s)} must be ${rule}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (s.startsWith('/')) return fail(`it starts with '/' (try ${quote(s.replace(/^\/+/, ''))})`);
  if (s.split('/').includes('..')) return fail("it contains a '..' segment");
  return undefined;
}

const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

/** The path of an Ingress route (validateHTTPIngressPath for Prefix and Exact, the strictest). */
export function checkIngressPath(s: string): string | undefined {
  const rule = "an absolute URL path such as /api, without '//', '/./', '/../' or an encoded '/' (%2F), not ending in '/.' or '/..'";
  const fail = (problem: string): string => `${quote(s)} must be ${rule}; ${problem}`;
  if (!s.startsWith('/')) return fail(`it does not start with '/' (try ${quote(`/${s}`)})`);
  const found = INVALID_SEQUENCES.filter((seq) => s.includes(seq)).map((seq) => `'${seq}'`);
  if (found.length) return fail(`it contains ${orList(found, 'and')}`);
  const suffix = INVALID_SUFFIXES.find((end) => s.endsWith(end));
  if (suffix) return fail(`it ends with '${suffix}'`);
  return undefined;
}
