import { joinPointer } from '../../load/json-pointer.js';
import { annotationMap, dnsSubdomain, labelMap } from '../../spec/fragments.js';
import type { TraitDef } from '../types.js';

export interface PodTraitSpec {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  terminationGracePeriodSeconds?: number;
  imagePullSecrets?: string[];
}

/** Kubernetes' grace period when a pod sets none. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

export const pod: TraitDef<PodTraitSpec> = {
  name: 'pod',
  description:
    'Settings of the pod itself: labels and annotations of the pod template (not of the workload), the grace period on shutdown, and the Secrets to pull images with.',
  scope: 'pod',
  requires: ['podTemplate'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      labels: {
        ...labelMap,
        description:
          "Labels of the pods only (e.g. for a service mesh or a log shipper), beside the component's; they win over the component's labels. kubemin's own (app.kubernetes.io/name, instance, managed-by) are refused.",
      },
      annotations: { ...annotationMap, description: 'Annotations of the pods only (e.g. prometheus.io/scrape), sorted by key.' },
      terminationGracePeriodSeconds: {
        type: 'integer',
        minimum: 0,
        description: `Seconds between the stop signal (after a preStop hook) and the kill on shutdown (Kubernetes' default ${DEFAULT_GRACE_PERIOD_SECONDS}; 0 kills at once).`,
      },
      imagePullSecrets: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { ...dnsSubdomain, description: 'A Secret of type kubernetes.io/dockerconfigjson: an existing one, or a secret component of this app.' },
        description: "Secrets holding registry credentials, tried in order when pulling the pod's images.",
      },
    },
  },
  apply(p) {
    return {
      pod: {
        ...(p.labels ? { labels: p.labels } : {}),
        ...(p.annotations ? { annotations: p.annotations } : {}),
        ...(p.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: p.terminationGracePeriodSeconds } : {}),
        ...(p.imagePullSecrets ? { imagePullSecrets: p.imagePullSecrets.map((name) => ({ name })) } : {}),
      },
    };
  },
  references(p, pointer) {
    return (p.imagePullSecrets ?? []).map((name, i) => ({ kind: 'secret' as const, name, pointer: joinPointer(pointer, 'imagePullSecrets', i) }));
  },
  gracePeriodSeconds: (p) =>
    p.terminationGracePeriodSeconds === undefined ? [] : [{ seconds: p.terminationGracePeriodSeconds, pointer: '/terminationGracePeriodSeconds' }],
};
