import type { K8sObject } from '../k8s/types.js';

export const MASK = '***';
const BEFORE = '*** (before)';
const AFTER = '*** (after)';

const SECRET_FIELDS = ['data', 'stringData'] as const;

function isSecret(o: K8sObject | undefined): o is K8sObject {
  return o?.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);
}

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
      out[field] = Object.fromEntries(
        Object.entries(mine).map(([k, v]) => [k, theirs && k in theirs && theirs[k] !== v ? changed : MASK]),
      );
    }
    return out;
  };
  return [mask(before, after, BEFORE), mask(after, before, AFTER)];
}

/** Every secret value of these objects (and their base64 forms), to redact from server messages. */
export function secretValues(objects: Iterable<K8sObject | undefined>): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (!isSecret(o)) continue;
    for (const field of SECRET_FIELDS) {
      for (const v of Object.values((o[field] as Record<string, string> | undefined) ?? {})) {
        if (typeof v !== 'string' || v.length < 4) continue;
        out.add(v);
        if (field === 'data') out.add(Buffer.from(v, 'base64').toString('utf8'));
        else out.add(Buffer.from(v, 'utf8').toString('base64'));
      }
    }
  }
  return [...out].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of a secret value in a message. */
export function redact(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(MASK);
  return out;
}
