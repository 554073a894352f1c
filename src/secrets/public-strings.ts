import { joinPointer } from '../load/json-pointer.js';
import { isSecretObject } from './object-secrets.js';
import type { K8sObject } from '../k8s/types.js';

/**
 * A secret value that is also written where anyone reads it (the app's name, a namespace, a
 * username equal to the component's name) tells nothing when it is printed there, and masking it
 * would hide every path and object name that holds it. These are the strings
 * a document or a set of objects shows in the open: its keys and its values outside `secret`.
 */
export function publicStrings(value: unknown, isSecret: (pointer: string) => boolean, into = new Set<string>()): Set<string> {
  const walk = (v: unknown, pointer: string): void => {
    if (isSecret(pointer)) return;
    if (typeof v === 'string') into.add(v);
    else if (typeof v === 'number' || typeof v === 'boolean') into.add(String(v));
    else if (Array.isArray(v)) v.forEach((item, i) => walk(item, joinPointer(pointer, i)));
    else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        into.add(k);
        walk(item, joinPointer(pointer, k));
      }
    }
  };
  walk(value, '');
  return into;
}

/** The strings of rendered objects outside Secrets' data: names, namespaces, labels, images... */
export function publicObjectStrings(objects: Iterable<K8sObject>, into = new Set<string>()): Set<string> {
  for (const o of objects) publicStrings(o, (p) => isSecretObject(o) && (p === '/data' || p === '/stringData'), into);
  return into;
}
