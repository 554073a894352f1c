/**
 * Host names of Ingress rules and TLS entries, as the API server checks them (networking
 * validation): a DNS subdomain, or a wildcard `*.` followed by one, never an IP address; the
 * whole name, wildcard included, at most 253 characters.
 */
import { checkDnsSubdomain } from './names.js';
import { quote } from './quote.js';

const HOST_RULE = "a host name: a lowercase DNS name such as shop.example.com, or a wildcard '*.' followed by one, at most 253 characters";

/** Four dotted decimal numbers of at most 255, leading zeros allowed: what Go's sloppy IP parser reads as IPv4. */
function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]+$/.test(p) && Number(p) <= 255);
}

export function checkIngressHost(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${HOST_RULE}; ${problem}`;
  if (s === '') return fail('it is empty (leave hosts out to match every host)');
  if (isIPv4(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s))) {
    return fail('it is an IP address, and an Ingress routes by name (leave hosts out to match every host)');
  }
  if (s.length > 253) return fail(`it is ${s.length} characters long`);
  if (s.includes('*')) {
    if (!s.startsWith('*.') || s.indexOf('*', 1) !== -1) return fail("a wildcard is only allowed as the whole first label, as in '*.example.com'");
    const rest = checkDnsSubdomain(s.slice(2));
    return rest === undefined ? undefined : fail(`after '*.', ${rest}`);
  }
  const problem = checkDnsSubdomain(s);
  return problem === undefined ? undefined : fail(problem);
}
