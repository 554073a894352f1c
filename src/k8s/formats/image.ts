/**
 * A container image reference. The API server refuses pods whose image is empty or has
 * leading or trailing whitespace (a Deployment with one is accepted, but never gets a pod), and
 * a kubelet cannot pull a reference with whitespace inside: all of these are errors here.
 * The reference grammar itself (registry, path, tag, digest) is left to the registry.
 */
import { quote } from './quote.js';

export function checkImage(s: string): string | undefined {
  const rule = 'an image reference such as ghcr.io/acme/shop:1.4.0, without spaces';
  const fail = (problem: string): string => `${quote(s)} must be ${rule}; ${problem}`;
  if (s === '') return fail('it is empty');
  if (s.trim() === '') return fail('it is blank');
  if (s.trim() !== s) return fail(`it has whitespace at ${/^\s/u.test(s) ? 'the start' : 'the end'} (try ${quote(s.trim())})`);
  if (/[\s\p{Cc}]/u.test(s)) return fail('it contains whitespace or control characters');
  return undefined;
}
