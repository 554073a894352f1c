import { joinPointer } from '../../load/json-pointer.js';
import type { PendingDiagnostic, TraitDef } from '../types.js';

export interface AutoscaleSpec {
  minReplicas?: number;
  maxReplicas: number;
  cpuUtilization?: number;
  memoryUtilization?: number;
}

const percent = { type: 'integer', minimum: 1, maximum: 1000 } as const;

/** Kubernetes' own default target when an autoscaler names no metric. */
const DEFAULT_CPU_UTILIZATION = 80;

export const autoscale: TraitDef<AutoscaleSpec> = {
  name: 'autoscale',
  description:
    'A HorizontalPodAutoscaler (autoscaling/v2) for the workload. The workload then omits `replicas`, so applying the bundle never fights the autoscaler.',
  scope: 'pod',
  requires: ['scalable'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['maxReplicas'],
    properties: {
      minReplicas: { type: 'integer', minimum: 1, description: "Default: the component's replicas, or 1." },
      maxReplicas: { type: 'integer', minimum: 1 },
      cpuUtilization: { ...percent, description: 'Target average CPU utilisation in percent of requests (default 80).' },
      memoryUtilization: { ...percent, description: 'Target average memory utilisation in percent of requests.' },
    },
  },
  apply(a, ctx) {
    const comp = ctx.component;
    const diagnostics: PendingDiagnostic[] = [];
    const min = a.minReplicas ?? Math.max(1, comp.component.replicas ?? 1);
    if (min > a.maxReplicas) {
      diagnostics.push({
        severity: 'error',
        code: 'autoscale-range',
        message: `minReplicas (${min}${a.minReplicas === undefined ? ', from replicas' : ''}) is above maxReplicas (${a.maxReplicas})`,
        pointer: joinPointer(ctx.pointer, 'maxReplicas'),
      });
    }
    const metric = (name: string, value: number) => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization: value } },
    });
    const metrics = [];
    const cpu = a.cpuUtilization ?? (a.memoryUtilization === undefined ? DEFAULT_CPU_UTILIZATION : undefined);
    if (cpu !== undefined) metrics.push(metric('cpu', cpu));
    if (a.memoryUtilization !== undefined) metrics.push(metric('memory', a.memoryUtilization));
    const workload = comp.type.workload;
    return {
      omitReplicas: true,
      diagnostics,
      objects: [
        {
          object: {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: comp.meta(comp.component.name),
            spec: {
              scaleTargetRef: { apiVersion: workload?.apiVersion, kind: workload?.kind, name: comp.component.name },
              minReplicas: min,
              maxReplicas: a.maxReplicas,
              metrics,
            },
          },
          pointer: ctx.pointer,
        },
      ],
    };
  },
};
