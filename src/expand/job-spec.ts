import type { JsonSchema } from '../spec/json-schema.js';
import type { BuiltPod, ComponentContext } from './types.js';

/** The `job:` settings shared by job and cronjob components. */
interface JobSettings {
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  completions?: number;
  parallelism?: number;
  ttlSecondsAfterFinished?: number;
  restartPolicy?: 'OnFailure' | 'Never';
}

export const jobSettingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'How the job runs.',
  properties: {
    backoffLimit: { type: 'integer', minimum: 0, description: 'Retries before the job is failed (Kubernetes default 6).' },
    activeDeadlineSeconds: { type: 'integer', minimum: 1, description: 'Deadline for the whole job.' },
    completions: { type: 'integer', minimum: 1 },
    parallelism: { type: 'integer', minimum: 0 },
    ttlSecondsAfterFinished: { type: 'integer', minimum: 0, description: 'Delete the finished job after this long.' },
    restartPolicy: { enum: ['OnFailure', 'Never'], description: 'Pod restart policy (default OnFailure).' },
  },
};

/** A Job spec (without selector: the API server generates it). */
export function jobSpec(ctx: ComponentContext, pod: BuiltPod): Record<string, unknown> {
  const job = (ctx.component.job ?? {}) as JobSettings;
  const template = {
    metadata: pod.template.metadata,
    spec: { ...pod.template.spec, restartPolicy: job.restartPolicy ?? 'OnFailure' },
  };
  return {
    ...pick(job, ['backoffLimit', 'activeDeadlineSeconds', 'completions', 'parallelism', 'ttlSecondsAfterFinished']),
    template,
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
