import type { SoakReport } from './run-soak.js';

/** The soak's result in a few lines, for the bench's output and the test's log. */
export function formatSoakReport(r: SoakReport): string[] {
  const applies = Object.entries(r.logged.applies)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  return [
    `seed ${r.seed}: ${r.commits} commits in ${(r.durationMs / 1000).toFixed(0)} s; applies: ${applies || 'none'}; ${r.logged.retries} retried after a transient failure`,
    `faults: ${r.faults.apiServerRestarts} API server restarts, ${r.faults.remoteOutages} remote outages (${r.logged.fetchFailures} failed fetches), ${r.faults.pushRefusals} of ${r.faults.pushRefusalsPlanned} status pushes refused (${r.logged.statusPushFailures} rounds left reports for the next)`,
    r.notConverged.size
      ? `NOT converged: ${[...r.notConverged].map(([app, why]) => `${app} (${why})`).join('; ')}`
      : `converged ${(r.convergedAfterMs / 1000).toFixed(1)} s after the last commit`,
    `live objects: ${r.live.objects} compared, ${r.live.differences.length} differ, ${r.live.orphans.length} orphaned`,
    `status commits: ${r.status.statusCommits} for ${r.status.applies} applies; ${r.status.missing.length} missing, ${r.status.unexpected.length} unexpected, ${r.status.duplicated.length} duplicated`,
    `daemon RSS: median ${r.rss.firstThirdMedianMiB.toFixed(0)} MiB in the first third, ${r.rss.lastThirdMedianMiB.toFixed(0)} MiB in the last, max ${r.rss.maxMiB.toFixed(0)} MiB (${r.rss.samples} samples${r.rss.tenthsMiB.length ? `; by tenths of the run: ${r.rss.tenthsMiB.map((m) => m.toFixed(0)).join(' ')}` : ''})`,
    `secrets: ${r.secretsUsed} values used; found in the daemon's log: ${r.secretsInLogs}, in status reports: ${r.secretsInStatus}; daemon exit code ${r.daemonExit}`,
  ];
}
