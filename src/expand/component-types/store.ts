import { workloadFields } from '../../spec/fragments.js';
import type { ComponentTypeDef } from '../types.js';
import { replicasField, serviceFor, workloadMeta } from '../workload.js';

/** StatefulSet names get `-<ordinal>` on pods and a 10-character revision hash in a label. */
const STATEFULSET_MAX_NAME = 52;

export const store: ComponentTypeDef = {
  name: 'store',
  description:
    'Stateful service (database, cache): a StatefulSet with a headless Service for stable pod names, a Service when it has ports, and one volume claim per replica for persistent storage.',
  capabilities: { podTemplate: true, service: true, scalable: true, claimTemplates: true, runToCompletion: false },
  workload: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  maxNameLength: STATEFULSET_MAX_NAME,
  properties: workloadFields,
  required: ['image'],
  expand(ctx, pod) {
    const name = ctx.component.name;
    const headless = `${name}-headless`;
    // volumeClaimTemplates are immutable: only labels that never change go on them.
    const claims = pod!.claimTemplates.map((t) => ({
      metadata: { name: t.metadata.name, labels: { ...ctx.selector } },
      spec: t.spec,
    }));
    const out = [
      {
        object: {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: workloadMeta(ctx, pod!, name),
          spec: {
            serviceName: headless,
            ...replicasField(ctx, pod!),
            selector: { matchLabels: { ...ctx.selector } },
            template: pod!.template,
            ...(claims.length ? { volumeClaimTemplates: claims } : {}),
          },
        },
      },
      serviceFor(ctx, headless, { headless: true }),
    ];
    if (ctx.component.ports?.length) out.push(serviceFor(ctx, name));
    return out;
  },
};
