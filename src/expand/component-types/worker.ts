import { workloadFields } from '../../spec/fragments.js';
import type { ComponentTypeDef } from '../types.js';
import { deploymentFor } from '../workload.js';

export const worker: ComponentTypeDef = {
  name: 'worker',
  description: 'A long-running background process: a Deployment, never a Service.',
  capabilities: { podTemplate: true, service: false, scalable: true, claimTemplates: false, runToCompletion: false },
  workload: { apiVersion: 'apps/v1', kind: 'Deployment' },
  maxNameLength: 63,
  properties: {
    ...workloadFields,
    ports: { ...workloadFields.ports, description: 'Container ports (e.g. for metrics); a worker gets no Service.' },
  },
  required: ['image'],
  expand(ctx, pod) {
    return [deploymentFor(ctx, pod!)];
  },
};
