import { containerFields } from '../../spec/fragments.js';
import { jobSettingsSchema, jobSpec } from '../job-spec.js';
import type { ComponentTypeDef } from '../types.js';
import { workloadMeta } from '../workload.js';

/** The controller appends an 11-character suffix to the CronJob name for each Job. */
const CRONJOB_MAX_NAME = 52;

export const cronjob: ComponentTypeDef = {
  name: 'cronjob',
  description: 'A scheduled task: a CronJob.',
  capabilities: { podTemplate: true, service: false, scalable: false, claimTemplates: false, runToCompletion: true },
  maxNameLength: CRONJOB_MAX_NAME,
  properties: {
    ...containerFields,
    schedule: { type: 'string', format: 'cron', description: 'Cron schedule, e.g. "0 3 * * *" or "@daily".' },
    timeZone: {
      type: 'string',
      format: 'time-zone',
      description: "IANA time zone of the schedule, e.g. Europe/Berlin (default: the controller's, usually UTC).",
    },
    concurrencyPolicy: { enum: ['Allow', 'Forbid', 'Replace'], description: 'Default Forbid: a run is skipped while the previous one still runs.' },
    successfulJobsHistoryLimit: { type: 'integer', minimum: 0 },
    failedJobsHistoryLimit: { type: 'integer', minimum: 0 },
    startingDeadlineSeconds: { type: 'integer', minimum: 0 },
    suspend: { type: 'boolean' },
    job: jobSettingsSchema,
  },
  required: ['image', 'schedule'],
  expand(ctx, pod) {
    const c = ctx.component;
    const optional = ['timeZone', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'suspend'] as const;
    const spec: Record<string, unknown> = { schedule: c.schedule };
    for (const k of optional) if (c[k] !== undefined) spec[k] = c[k];
    spec.concurrencyPolicy = c.concurrencyPolicy ?? 'Forbid';
    spec.jobTemplate = { metadata: { labels: { ...ctx.labels, ...pod!.workloadLabels } }, spec: jobSpec(ctx, pod!) };
    return [{ object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: workloadMeta(ctx, pod!, c.name), spec } }];
  },
};
