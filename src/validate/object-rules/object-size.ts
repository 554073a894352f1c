import type { K8sObject } from '../../k8s/types.js';
import type { ObjectRule } from '../object-rule.js';

/**
 * etcd's default limit on one request (--max-request-bytes), hence on one stored object. A
 * dry-run never reaches etcd, so only a real apply finds out: the check is here.
 */
export const OBJECT_MAX_BYTES = 1.5 * 1024 * 1024;

/**
 * About how many bytes the API server stores for the object: the object itself (a Secret's data
 * decoded, as it is stored), plus server-side apply's record of the fields kubemin manages,
 * which names every key once more.
 */
export function storedSize(object: K8sObject): number {
  let size = 0;
  let fields = 0;
  const walk = (v: unknown, inSecretData: boolean): void => {
    if (typeof v === 'string') size += inSecretData ? Math.floor((v.length * 3) / 4) : Buffer.byteLength(v, 'utf8');
    else if (Array.isArray(v)) for (const x of v) walk(x, false);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const keyBytes = Buffer.byteLength(k, 'utf8') + 4;
        size += keyBytes;
        fields += keyBytes + 4;
        walk(x, inSecretData);
      }
    } else size += String(v).length;
  };
  for (const [k, v] of Object.entries(object)) {
    size += k.length + 4;
    walk(v, object.kind === 'Secret' && k === 'data');
  }
  return size + fields;
}

/**
 * At least storedSize(object), counted without encoding a string (a UTF-16 code unit is at most 3
 * bytes of UTF-8): nearly every object is far under the limit, which this shows at less cost.
 */
export function storedSizeBound(object: K8sObject): number {
  let size = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') size += v.length * 3;
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i]);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.hasOwn(o, k)) continue;
        size += 2 * (k.length * 3 + 4) + 4;
        walk(o[k]);
      }
    } else size += String(v).length;
  };
  walk(object);
  return size;
}

export const objectSize: ObjectRule = {
  name: 'object-size',
  description: 'An object is small enough for etcd to store it (1.5 MiB with managed fields).',
  check(object) {
    if (storedSizeBound(object) <= OBJECT_MAX_BYTES) return [];
    const bytes = storedSize(object);
    if (bytes <= OBJECT_MAX_BYTES) return [];
    return [
      {
        code: 'object-too-large',
        message: `${object.kind} "${object.metadata.name}" would take about ${bytes} bytes in etcd, which refuses objects over ${OBJECT_MAX_BYTES} bytes (1.5 MiB) by default`,
        hint: 'split its data over several components, or keep large files out of the spec (a volume, an image)',
      },
    ];
  },
};
