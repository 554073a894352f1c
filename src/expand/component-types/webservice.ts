import { workloadFields } from '../../spec/fragments.js';
import type { ComponentTypeDef } from '../types.js';
import { deploymentFor, serviceFor } from '../workload.js';

export const webservice: ComponentTypeDef = {
  name: 'webservice',
  description: 'A long-running service: a Deployment, and a Service when it has ports.',
  capabilities: { podTemplate: true, service: true, scalable: true, claimTemplates: false, runToCompletion: false },
  workload: { apiVersion: 'apps/v1', kind: 'Deployment' },
  maxNameLength: 63,
  properties: workloadFields,
  required: ['image'],
  expand(ctx, pod) {
    const out = [deploymentFor(ctx, pod!)];
    if (ctx.component.ports?.length) out.push(serviceFor(ctx, ctx.component.name));
    return out;
  },
};
