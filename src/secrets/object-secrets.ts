import type { K8sObject } from '../k8s/types.js';
import { decodeBase64Text } from './secret-forms.js';

const SECRET_FIELDS = ['data', 'stringData'] as const;

export function isSecretObject(o: K8sObject | undefined): o is K8sObject {
  return o?.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);
}

/**
 * The values of the Secrets among `objects`: `stringData` as written, `data` decoded when it is
 * text (else as written, base64). A Secret a plugin builds from a field it did not declare secret is
 * found here all the same.
 */
export function objectSecrets(objects: Iterable<K8sObject | undefined>): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (!isSecretObject(o)) continue;
    for (const field of SECRET_FIELDS) {
      const map = o[field];
      if (map === null || typeof map !== 'object') continue;
      for (const v of Object.values(map as Record<string, unknown>)) {
        if (typeof v !== 'string' || !v) continue;
        // A value of `data` that is base64 of text is that text (whose forms include the base64).
        const text = field === 'data' ? decodeBase64Text(v) : undefined;
        out.add(text && Buffer.from(text, 'utf8').toString('base64') === v ? text : v);
        if (text) out.add(text);
      }
    }
  }
  return [...out];
}
