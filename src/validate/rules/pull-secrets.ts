import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

/** The Secret types whose registry credentials the kubelet reads (any other is ignored when pulling). */
const REGISTRY_TYPES: readonly string[] = ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'];

/**
 * A secret component of the app named in imagePullSecrets (trait pod) is of a registry type.
 * Its type and deploy order are the reference-order rule's; existing Secrets are the cluster's.
 */
export const pullSecrets: ValidationRule = {
  name: 'pull-secrets',
  description: 'A secret component used as an image pull secret has the type kubernetes.io/dockerconfigjson (or dockercfg): the kubelet ignores others.',
  reads: ['/spec/components/*/name', '/spec/components/*/type', '/spec/components/*/secretType', '/spec/components/*/traits/pod/imagePullSecrets'],
  check(app) {
    const out: PendingDiagnostic[] = [];
    const byName = new Map(app.spec.components.map((c, i) => [c.name, { c, i }]));
    app.spec.components.forEach((c, i) => {
      const names = (c.traits?.pod as { imagePullSecrets?: string[] } | undefined)?.imagePullSecrets ?? [];
      names.forEach((name, j) => {
        const provider = byName.get(name);
        if (provider?.c.type !== 'secret') return; // an existing Secret, or a kind mismatch (reference-order says so)
        const type = (provider.c.secretType as string | undefined) ?? 'Opaque';
        if (REGISTRY_TYPES.includes(type)) return;
        out.push({
          severity: 'error',
          code: 'pull-secret-type',
          message: `"${name}" is an image pull secret, but secret component "${name}" is of type ${type}: the kubelet only reads registry credentials from a Secret of type kubernetes.io/dockerconfigjson`,
          hint: `set secretType: kubernetes.io/dockerconfigjson on component "${name}", with the registry credentials under the key .dockerconfigjson`,
          pointer: joinPointer(`/spec/components/${i}`, 'traits', 'pod', 'imagePullSecrets', j),
          related: [{ message: `component "${name}"`, pointer: `/spec/components/${provider.i}${provider.c.secretType === undefined ? '' : '/secretType'}` }],
        });
      });
    });
    return out;
  },
};
