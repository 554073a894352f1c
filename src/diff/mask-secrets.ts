import type { K8sObject } from '../k8s/types.js';
import { isSecretObject as isSecret } from '../secrets/object-secrets.js';
import { MASK } from '../secrets/redactor.js';

const BEFORE = '*** (before)';
const AFTER = '*** (after)';

const SECRET_FIELDS = ['data', 'stringData'] as const;

/**
 * Secret values replaced by masks, as kubectl diff does: a value equal on both sides is `***` on
 * both, a changed one `*** (before)` / `*** (after)`, so a change is visible and no value is ever
 * printed. Other kinds are returned as they are.
 */
export function maskSecretPair(before: K8sObject | undefined, after: K8sObject | undefined): [K8sObject | undefined, K8sObject | undefined] {
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const values = (o: K8sObject | undefined, field: string) => (o?.[field] ?? undefined) as Record<string, string> | undefined;
  const mask = (o: K8sObject | undefined, other: K8sObject | undefined, changed: string): K8sObject | undefined => {
    if (!o) return o;
    const out: K8sObject = { ...o };
    for (const field of SECRET_FIELDS) {
      const mine = values(o, field);
      if (!mine) continue;
      const theirs = values(other, field);
      out[field] = Object.fromEntries(Object.entries(mine).map(([k, v]) => [k, theirs && k in theirs && theirs[k] !== v ? changed : MASK]));
    }
    return out;
  };
  return [mask(before, after, BEFORE), mask(after, before, AFTER)];
}
