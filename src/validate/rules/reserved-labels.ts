import { RESERVED_LABELS } from '../../expand/labels.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

/**
 * Labels the API server puts on the pods of every Job (the Job's generated selector): a Job whose
 * template already has one is refused, and a CronJob's Jobs would be.
 */
const JOB_LABELS: readonly string[] = ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name'];

export const reservedLabels: ValidationRule = {
  name: 'reserved-labels',
  description: 'Labels kubemin uses for selectors and ownership, and those Kubernetes sets on the pods of Jobs, cannot be set by hand.',
  reads: ['/metadata/labels', '/spec/components/*/labels', '/spec/components/*/traits/pod/labels', '/spec/components/*/type'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    const runsJobs = (type: string): boolean => ctx.tables.componentTypes.get(type)?.capabilities.runToCompletion ?? false;
    const scan = (labels: Record<string, string> | undefined, pointer: string, jobs: boolean): void => {
      for (const key of Object.keys(labels ?? {})) {
        if ((RESERVED_LABELS as readonly string[]).includes(key)) {
          out.push({
            severity: 'error',
            code: 'reserved-label',
            message: `label "${key}" is set by kubemin and cannot be overridden`,
            hint: 'selectors and pruning rely on it; use another label key',
            pointer: joinPointer(pointer, key),
            atKey: true,
          });
        } else if (jobs && JOB_LABELS.includes(key)) {
          out.push({
            severity: 'error',
            code: 'reserved-label',
            message: `label "${key}" is set by Kubernetes on the pods of every Job, and it refuses a Job that sets it`,
            hint: 'use another label key',
            pointer: joinPointer(pointer, key),
            atKey: true,
          });
        }
      }
    };
    scan(
      app.metadata.labels,
      '/metadata/labels',
      app.spec.components.some((c) => runsJobs(c.type)),
    );
    app.spec.components.forEach((c, i) => {
      scan(c.labels, `/spec/components/${i}/labels`, runsJobs(c.type));
      // The pod template's own labels (trait pod): its selector's labels must stay kubemin's.
      const pod = c.traits?.pod as { labels?: Record<string, string> } | undefined;
      scan(pod?.labels, `/spec/components/${i}/traits/pod/labels`, runsJobs(c.type));
    });
    return out;
  },
};
