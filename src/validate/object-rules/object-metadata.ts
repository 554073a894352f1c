import { checkLabelKey, checkLabelValue } from '../../k8s/formats/names.js';
import { getAtPointer, joinPointer } from '../../load/json-pointer.js';
import type { ObjectProblem, ObjectRule } from '../object-rule.js';

/** The API server's limit on the annotations of one object: keys and values, in bytes. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function annotationBytes(annotations: Readonly<Record<string, string>> | undefined): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  return total;
}

export const objectMetadata: ObjectRule = {
  name: 'object-metadata',
  description: "Every object's labels and annotation keys are valid, and its annotations total at most 256 KiB.",
  check(object, ctx) {
    const out: ObjectProblem[] = [];
    const what = `${object.kind} "${object.metadata.name}"`;
    for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
      const problem = checkLabelKey(key) ?? checkLabelValue(value);
      if (problem) out.push({ code: 'invalid-label', message: `a label of ${what} is invalid: ${problem}` });
    }
    const annotations = object.metadata.annotations ?? {};
    for (const key of Object.keys(annotations)) {
      // Kubernetes compares annotation keys case-insensitively.
      const problem = checkLabelKey(key.toLowerCase());
      if (problem) out.push({ code: 'invalid-annotation', message: `an annotation key of ${what} is invalid: ${problem}` });
    }
    const bytes = annotationBytes(annotations);
    if (bytes > ANNOTATIONS_MAX_BYTES) {
      const appBytes = annotationBytes(ctx.spec.metadata.annotations);
      const own = joinPointer(ctx.pointer, 'annotations');
      if (appBytes > ANNOTATIONS_MAX_BYTES) {
        // The same problem for every object: one message, at the application's annotations.
        out.push({
          code: 'annotations-too-large',
          message: `the annotations of the application total ${appBytes} bytes, and they are added to every object; Kubernetes allows ${ANNOTATIONS_MAX_BYTES} (256 KiB) per object`,
          hint: 'keep large data in a ConfigMap, not in annotations',
          pointer: '/metadata/annotations',
          atKey: true,
        });
      } else {
        const here = getAtPointer(ctx.spec, own) !== undefined;
        out.push({
          code: 'annotations-too-large',
          message: `the annotations of ${what} total ${bytes} bytes (${appBytes} of them from the application's annotations); Kubernetes allows ${ANNOTATIONS_MAX_BYTES} (256 KiB) per object`,
          hint: 'keep large data in a ConfigMap, not in annotations',
          ...(here ? { pointer: own, atKey: true } : {}),
        });
      }
    }
    return out;
  },
};
