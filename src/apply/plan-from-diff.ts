import type { CompiledApp } from '../compile.js';
import { formatObjectProblem } from '../k8s/object-ref.js';
import { refKey, refOf } from '../k8s/object-ref.js';
import type { AppDiff, DiffAction } from '../diff/types.js';
import type { ApplyAction } from '../cluster/server-side-apply.js';
import { phaseLabel } from '../plan/plan-phases.js';
import type { AppApplyResult, ObjectResult, PhaseResult } from './types.js';

const ACTION: Record<Exclude<DiffAction, 'delete'>, ApplyAction> = { create: 'created', update: 'configured', unchanged: 'unchanged' };

/**
 * `apply --dry-run`: the diff (a server-side dry-run of every object) told phase by phase as an
 * apply result whose phases are `planned`, or `failed` where the server refused an object.
 */
export function planFromDiff(app: CompiledApp, diff: AppDiff, opts: { prune?: boolean } = {}): AppApplyResult {
  const byKey = new Map(diff.objects.map((o) => [refKey(o.ref), o]));
  const problems = new Map(diff.problems.map((p) => [refKey(p.ref), p]));
  const phases: PhaseResult[] = app.phases.map((phase) => {
    const objects: ObjectResult[] = phase.objects.map((o) => {
      const key = refKey(refOf(o.object));
      const d = byKey.get(key);
      const p = problems.get(key);
      const base = { ref: refOf(o.object), component: o.component ?? null, source: d?.source ?? p?.source ?? null };
      if (p) return { ...base, action: 'failed', state: 'failed', reason: p.reason, message: p.message };
      const action = d && d.action !== 'delete' ? ACTION[d.action] : 'unchanged';
      return { ...base, action, state: 'unknown', message: d?.note ?? `would be ${action}` };
    });
    const refused = objects.filter((o) => o.action === 'failed');
    return {
      index: phase.index,
      name: phase.name,
      stepType: phase.stepType,
      outcome: refused.length ? 'failed' : 'planned',
      startedAt: null,
      finishedAt: null,
      durationMs: 0,
      attempts: 0,
      objects,
      reasons: refused.map(formatObjectProblem),
    };
  });
  const firstBad = phases.find((p) => p.outcome === 'failed');
  return {
    app: app.name,
    ...(app.environment ? { environment: app.environment } : {}),
    namespace: app.namespace,
    outcome: firstBad ? 'failed' : 'planned',
    startedAt: '',
    finishedAt: '',
    durationMs: 0,
    phases,
    pruned: opts.prune
      ? diff.objects.filter((o) => o.action === 'delete').map((o) => ({ ref: o.ref, action: 'deleted' as const, reason: 'would be deleted' }))
      : [],
    failure: firstBad ? { phase: phaseLabel(firstBad), message: firstBad.reasons[0] ?? 'failed' } : null,
    warnings: [],
  };
}
