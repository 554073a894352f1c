/**
 * The soak section of `npm run bench`: `kubemin watch` (the built CLI, a child process) follows a
 * repository of 20 apps on a test cluster of its own for KUBEMIN_SOAK_SECONDS (default 300) while
 * commits land with random changes (seed KUBEMIN_SOAK_SEED, default 1), with the API server
 * restarted, the git remote unreachable and status pushes refused every 12 commits. The same
 * scenario as test/watch/soak.test.ts (30 commits), for longer: what a slow leak needs to show.
 * Prints what it found; a failed check (not converged, objects that differ or are orphaned, a
 * status commit missing or twice, a secret in a log) is an error. See bench/README.md.
 */
import { join } from 'node:path';
import { kubeminBin, repoRoot } from './cluster.js';
import { formatSoakReport } from './soak/format-report.js';
import { runSoak } from './soak/run-soak.js';
import type { SectionContext } from './util.js';

const APPS = 20;

export async function benchSoak(ctx: SectionContext): Promise<void> {
  const seconds = Number(process.env.KUBEMIN_SOAK_SECONDS ?? 300);
  const seed = Number(process.env.KUBEMIN_SOAK_SEED ?? 1);
  if (!(seconds > 0) || !Number.isInteger(seed)) {
    ctx.fail(
      `KUBEMIN_SOAK_SECONDS must be a positive number and KUBEMIN_SOAK_SEED an integer (got ${process.env.KUBEMIN_SOAK_SECONDS}, ${process.env.KUBEMIN_SOAK_SEED})`,
    );
    return;
  }
  console.log(
    `\nkubemin watch soak: ${APPS} apps, commits for ${seconds} s (KUBEMIN_SOAK_SECONDS) with seed ${seed} (KUBEMIN_SOAK_SEED); ` +
      'faults every 12 commits: API server restart, git remote unreachable, 7 status pushes refused; the daemon is bin/kubemin.js on a test cluster of its own',
  );
  let report;
  try {
    report = await runSoak({
      repoRoot,
      root: join(ctx.root, 'soak'),
      apps: APPS,
      seed,
      durationMs: seconds * 1000,
      kubemin: [process.execPath, kubeminBin],
      progress: (line) => {
        if (line.startsWith('fault') || line.startsWith('soak:')) console.log(`  ${line}`);
      },
    });
  } catch (err) {
    const message = (err as Error).message;
    if (/binaries not built/.test(message)) console.log(`  skipped: test cluster not available (${message.split('\n')[0]})`);
    else ctx.fail(`soak: ${message}`);
    return;
  }
  for (const line of formatSoakReport(report)) console.log(`  ${line}`);
  const problems = [
    ...[...report.notConverged].map(([app, why]) => `${app} did not converge: ${why}`),
    ...report.live.differences.map((d) => `live object differs from the bundle: ${d}`),
    ...report.live.orphans.map((o) => `orphaned: ${o}`),
    ...report.status.missing.map((m) => `no status commit for: ${m}`),
    ...report.status.unexpected.map((m) => `status commit without an apply: ${m}`),
    ...report.status.duplicated.map((m) => `status report committed twice: ${m}`),
    ...(report.secretsInLogs ? [`${report.secretsInLogs} secret values in the daemon's log`] : []),
    ...(report.secretsInStatus ? [`${report.secretsInStatus} secret values in status reports`] : []),
    ...(report.daemonExit !== 0 ? [`the daemon exited ${report.daemonExit} on SIGTERM`] : []),
  ];
  for (const p of problems) ctx.fail(`soak (seed ${seed}): ${p}`);
  if (problems.length) console.log(`  the daemon's log: ${join(ctx.root, 'soak', 'daemon.log')} (removed at the end of the bench)`);
}
