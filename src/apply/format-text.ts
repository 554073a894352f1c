import { appKey, type AppIdentity } from '../environments/app-key.js';
import { formatRef } from '../k8s/object-ref.js';
import { phaseLabel } from '../plan/plan-phases.js';
import type { AppApplyResult, PhaseOutcome, PhaseResult, PruneResult } from './types.js';

export interface ApplyTextOptions {
  readonly color?: boolean;
}

const OUTCOME_COLOR: Record<PhaseOutcome, number> = {
  ready: 32,
  planned: 36,
  failed: 31,
  unschedulable: 31,
  refused: 31,
  timeout: 31,
  interrupted: 33,
  skipped: 2,
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** `3 objects (1 created, 2 unchanged)` */
function objectCounts(p: PhaseResult): string {
  if (!p.objects.length) return p.stepType === 'deploy' ? 'no objects' : p.stepType;
  const counts = new Map<string, number>();
  for (const o of p.objects) counts.set(o.action, (counts.get(o.action) ?? 0) + 1);
  const parts = [...counts].map(([action, n]) => `${n} ${action}`);
  return `${p.objects.length} object${p.objects.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/** One line for a finished phase, then its reasons indented below it. */
export function formatPhaseLine(p: PhaseResult, width: number, opts: ApplyTextOptions = {}): string {
  const paint = (code: number, s: string): string => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const label = phaseLabel(p).padEnd(width);
  const outcome = paint(OUTCOME_COLOR[p.outcome], p.outcome.padEnd(13));
  if (p.outcome === 'skipped') return `  ${label}  ${outcome}\n`;
  const retried = p.attempts > 1 ? `, ${p.attempts} attempts` : '';
  const time = p.outcome === 'planned' ? '' : `${seconds(p.durationMs).padStart(6)}  `;
  const lines = [`  ${label}  ${outcome} ${time}${objectCounts(p)}${retried}`];
  for (const r of p.reasons) lines.push(`      ${r}`);
  return lines.join('\n') + '\n';
}

function pruneLine(r: PruneResult): string {
  return `  prune ${formatRef(r.ref)}: ${r.action}${r.reason ? ` (${r.reason})` : ''}`;
}

/** The header line of an app: `<app>` or, for an environment's variant, `<env>/<app>` (appKey). */
export function formatAppHeader(app: AppIdentity, namespace: string, phases: number, dryRun = false): string {
  return `${appKey(app)}: ${dryRun ? 'dry-run of' : 'applying'} ${phases} phase${phases === 1 ? '' : 's'} to namespace ${namespace}\n`;
}

/** After the phases: pruning, warnings and the one-line outcome. */
export function formatAppFooter(r: AppApplyResult): string {
  const lines = r.pruned.map(pruneLine);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  const objects = r.phases.reduce((n, p) => n + p.objects.length, 0);
  const app = appKey({ name: r.app, ...(r.environment ? { environment: r.environment } : {}) });
  switch (r.outcome) {
    case 'applied':
      lines.push(
        `${app}: applied in ${seconds(r.durationMs)}: ${r.phases.length} phases, ${objects} objects ready${r.pruned.length ? `, ${r.pruned.filter((p) => p.action === 'deleted').length} pruned` : ''}`,
      );
      break;
    case 'planned':
      lines.push(`${app}: dry-run: nothing was changed`);
      break;
    case 'failed':
      lines.push(`${app}: failed${r.failure ? ` at ${r.failure.phase}` : ''} after ${seconds(r.durationMs)}`);
      break;
    case 'interrupted':
      lines.push(`${app}: interrupted after ${seconds(r.durationMs)}; what was applied is recorded: run apply again to converge`);
      break;
    default: {
      const never: never = r.outcome;
      throw new Error(`unknown outcome ${String(never)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The whole result as text (for dry-runs and non-interactive output, where nothing was shown as it happened). */
export function formatApplyText(results: readonly AppApplyResult[], opts: ApplyTextOptions = {}): string {
  return results
    .map((r) => {
      const width = Math.max(0, ...r.phases.map((p) => phaseLabel(p).length));
      return (
        formatAppHeader({ name: r.app, ...(r.environment ? { environment: r.environment } : {}) }, r.namespace, r.phases.length, r.outcome === 'planned') +
        r.phases.map((p) => formatPhaseLine(p, width, opts)).join('') +
        formatAppFooter(r)
      );
    })
    .join('');
}
