import { schemaProblems } from '../../k8s/openapi/check-schema.js';
import { getAtPointer, joinPointer, splitPointer } from '../../load/json-pointer.js';
import type { ObjectRule } from '../object-rule.js';

/**
 * Every object of a built-in kind has only the fields the API server's schema declares, each of
 * its type (src/k8s/openapi/: the schema of the test cluster's kube-apiserver): what server-side
 * apply refuses first. kubemin's own objects pass by construction; this catches what the escape
 * hatches write (patches, k8s-objects) and what plugins build.
 */
export const objectSchema: ObjectRule = {
  name: 'object-schema',
  description: "Every object of a built-in kind has only fields the API server's schema declares, each of the right type.",
  check(object, ctx) {
    return schemaProblems(object).map((p) => {
      // An object written in the spec (k8s-objects): point at the field itself when it is there.
      const at = joinPointer(ctx.pointer, ...splitPointer(p.path));
      const written = p.path !== '' && getAtPointer(ctx.spec, at) !== undefined;
      return {
        code: 'object-schema',
        message: `${object.kind} "${object.metadata.name}": ${p.message}`,
        hint: p.hint ?? 'the Kubernetes API reference lists the fields of each kind (kubectl explain)',
        ...(written ? { pointer: at } : {}),
      };
    });
  },
};
