import { containerFields } from '../../spec/fragments.js';
import { shortHash } from '../hash.js';
import { jobSettingsSchema, jobSpec } from '../job-spec.js';
import type { ComponentTypeDef } from '../types.js';
import { workloadMeta } from '../workload.js';

/** `-<8 hex>` is appended, and Kubernetes puts the Job name in a pod label (63 characters). */
const JOB_MAX_NAME = 63 - 9;

export const job: ComponentTypeDef = {
  name: 'job',
  description:
    'A run-to-completion task (e.g. a migration): a Job named <component>-<hash of its pod template>, so a changed job runs anew and an unchanged one is not re-run.',
  capabilities: { podTemplate: true, service: false, scalable: false, claimTemplates: false, runToCompletion: true },
  maxNameLength: JOB_MAX_NAME,
  properties: { ...containerFields, job: jobSettingsSchema },
  required: ['image'],
  expand(ctx, pod) {
    const spec = jobSpec(ctx, pod!);
    // The template and completions are immutable on a Job: a change to them needs a new Job.
    const name = `${ctx.component.name}-${shortHash({ template: spec.template, completions: spec.completions })}`;
    return [{ object: { apiVersion: 'batch/v1', kind: 'Job', metadata: workloadMeta(ctx, pod!, name), spec } }];
  },
};
