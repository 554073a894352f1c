import type { AppRun, PhaseRun, PhaseStatus } from './dashboard-state.js';
import { formatMs, stateBadge, type Tone } from './page.js';

/**
 * An app's last apply in words, as the apps list sorts people's attention: `rejected by
 * scheduling` is a failure the cluster's capacity caused (a phase unschedulable, or refused by the
 * GPU preflight), not the app's code.
 */
export function runWords(run: AppRun | undefined): { readonly text: string; readonly tone: Tone } {
  if (!run) return { text: 'not applied yet', tone: 'idle' };
  switch (run.status) {
    case 'in-progress':
      return { text: 'in progress', tone: 'busy' };
    case 'applied':
      return { text: 'applied', tone: 'ok' };
    case 'planned':
      return { text: 'planned', tone: 'idle' };
    case 'interrupted':
      return { text: 'interrupted', tone: 'bad' };
    case 'failed': {
      const scheduling = [...run.phases.values()].some((p) => p.status === 'unschedulable' || p.status === 'refused');
      return { text: scheduling ? 'rejected by scheduling' : 'failed', tone: 'bad' };
    }
  }
}

export function runBadge(run: AppRun | undefined): string {
  const w = runWords(run);
  return stateBadge(w.text, w.tone);
}

/** A phase's state in words and tone. */
export function phaseWords(status: PhaseStatus): { readonly text: string; readonly tone: Tone } {
  switch (status) {
    case 'waiting':
      return { text: 'waiting', tone: 'idle' };
    case 'applying':
      return { text: 'applying', tone: 'busy' };
    case 'waiting-for-ready':
      return { text: 'waiting for ready', tone: 'busy' };
    case 'ready':
      return { text: 'ready', tone: 'ok' };
    case 'planned':
      return { text: 'planned', tone: 'idle' };
    case 'skipped':
      return { text: 'skipped', tone: 'idle' };
    case 'failed':
    case 'unschedulable':
    case 'refused':
    case 'timeout':
    case 'interrupted':
      return { text: status === 'timeout' ? 'timed out' : status, tone: 'bad' };
  }
}

/** The last line of a phase's box in the graph: its state, how many objects are ready, how long it took. */
export function phaseLine(run: PhaseRun | undefined): string {
  if (!run) return 'not applied yet';
  const words = phaseWords(run.status).text;
  const counts = run.total !== undefined && run.total > 0 && run.status !== 'waiting' && run.status !== 'skipped' ? ` (${run.ready ?? 0}/${run.total})` : '';
  const took = run.durationMs !== undefined && run.status !== 'waiting' && run.status !== 'skipped' ? `, ${formatMs(run.durationMs)}` : '';
  return `${words}${counts}${took}`;
}

/** The node class of a phase in the graph (its colour; the words are in the box). */
export function phaseClass(run: PhaseRun | undefined): string {
  return `state-${run ? phaseWords(run.status).tone : 'idle'}`;
}
