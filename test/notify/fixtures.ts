import type { AppApplyResult, PhaseResult } from '../../src/apply/types.js';

export const SHA = '3f2a9c1d4b5e6f708192a3b4c5d6e7f8091a2b3c';

/** A phase as the apply reports it. */
function phase(index: number, name: string, outcome: PhaseResult['outcome'], objects: PhaseResult['objects'] = [], reasons: string[] = []): PhaseResult {
  return {
    index,
    name,
    stepType: 'deploy',
    outcome,
    startedAt: outcome === 'skipped' ? null : '2026-12-04T10:00:01.000Z',
    finishedAt: outcome === 'skipped' ? null : '2026-12-04T10:00:05.000Z',
    durationMs: outcome === 'skipped' ? 0 : 4000,
    attempts: 1,
    objects,
    reasons,
  };
}

/** shop in production: its migrate Job failed (BackoffLimitExceeded), its web phase skipped. */
export function failedJobResult(cause = 'Job has reached the specified backoff limit'): AppApplyResult {
  return {
    app: 'shop',
    environment: 'production',
    namespace: 'shop-prod',
    outcome: 'failed',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:00:09.500Z',
    durationMs: 9500,
    phases: [
      phase(0, 'namespace', 'ready', [
        {
          ref: { apiVersion: 'v1', kind: 'Namespace', name: 'shop-prod' },
          component: null,
          source: 'kubemin.yaml:3',
          action: 'unchanged',
          state: 'ready',
          message: 'exists',
        },
      ]),
      phase(
        1,
        'migrate',
        'failed',
        [
          {
            ref: { apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop-prod', name: 'migrate' },
            component: 'migrate',
            source: 'kubemin.yaml:42',
            action: 'created',
            state: 'failed',
            message: cause,
            reason: 'BackoffLimitExceeded',
            pod: 'shop-prod/migrate-x7k2p',
          },
        ],
        [`Job shop-prod/migrate (kubemin.yaml:42): ${cause}`],
      ),
      phase(2, 'web', 'skipped'),
    ],
    pruned: [],
    failure: { phase: '01-migrate', message: `Job shop-prod/migrate (kubemin.yaml:42): ${cause}` },
    warnings: [],
  };
}

export function appliedResult(): AppApplyResult {
  return {
    app: 'shop',
    environment: 'production',
    namespace: 'shop-prod',
    outcome: 'applied',
    startedAt: '2026-12-04T11:00:00.000Z',
    finishedAt: '2026-12-04T11:00:04.000Z',
    durationMs: 4000,
    phases: [phase(0, 'web', 'ready')],
    pruned: [],
    failure: null,
    warnings: [],
  };
}

export function unschedulableResult(): AppApplyResult {
  return {
    ...failedJobResult(),
    phases: [
      phase(
        0,
        'train',
        'unschedulable',
        [
          {
            ref: { apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop-prod', name: 'train' },
            component: 'train',
            source: 'kubemin.yaml:60',
            action: 'created',
            state: 'unschedulable',
            message: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu',
            reason: 'Unschedulable',
          },
        ],
        [],
      ),
    ],
    failure: { phase: '00-train', message: 'Job shop-prod/train: 0/1 nodes are available' },
  };
}
