import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSoakReport } from '../../bench/soak/format-report.js';
import { runSoak } from '../../bench/soak/run-soak.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';

/**
 * The daemon runs for months, compressed into a few minutes (bench/soak/ has the scenario; `npm
 * run bench -- soak` runs it for longer): `kubemin watch`, a process as deployed, follows a real
 * repository of 20 apps on a test cluster of its own (its API server is restarted: other tests'
 * cluster is left alone) while 30 commits land with random changes, seeded (KUBEMIN_SOAK_SEED
 * replays a run): images, replicas, workers added and removed, config and secret values, a Job
 * that fails and is fixed. Faults: the API server restarts, the git remote is unreachable for 5 s,
 * the daemon's status pushes are refused 7 times in a row.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('kubemin watch, a soak with faults', () => {
  it(
    "converges: live objects equal every app's last bundle, every apply has one status commit, memory stays flat, no secret in any log",
    { timeout: 900_000 },
    async () => {
      expect(testCluster().kubeconfig).toBeTruthy(); // fails the test, with the reason, when the test cluster cannot run at all
      const seed = Number(process.env.KUBEMIN_SOAK_SEED ?? 20261203);
      const progress: string[] = [];
      const root = tempDir('kubemin-soak-');
      const report = await runSoak({
        repoRoot,
        root,
        apps: 20,
        seed,
        commits: 30,
        faultCycle: 30, // each fault once: at commits 8, 15 and 23
        kubemin: [process.execPath, '--import', 'tsx', 'test/helpers/kubemin-process.ts'],
        progress: (line) => void progress.push(line),
      });
      console.log(`soak: ${formatSoakReport(report).join('\n  ')}`);
      const context = `seed ${seed} (KUBEMIN_SOAK_SEED=${seed} replays it); the daemon's log: ${root}/daemon.log\n${progress.join('\n')}\ndaemon log, last lines:\n${report.logTail.slice(-8000)}`;

      // Every app converged to its last commit's bundle: its status says so, the server-side dry-run
      // of every object changes nothing, and nothing of kubemin's is left over in its namespace.
      expect([...report.notConverged], context).toEqual([]);
      expect(report.live.objects).toBeGreaterThanOrEqual(20 * 5);
      expect(report.live.differences, context).toEqual([]);
      expect(report.live.orphans, context).toEqual([]);

      // Every apply the daemon logged has exactly one status commit, and no report was committed twice.
      expect(report.status.applies).toBeGreaterThan(20);
      expect(report.status.missing, context).toEqual([]);
      expect(report.status.unexpected, context).toEqual([]);
      expect(report.status.duplicated, context).toEqual([]);

      // The faults happened and were seen (the soak is not vacuous).
      expect(report.faults.apiServerRestarts).toBeGreaterThanOrEqual(1);
      expect(report.faults.remoteOutages).toBeGreaterThanOrEqual(1);
      expect(report.faults.pushRefusals).toBe(report.faults.pushRefusalsPlanned);
      expect(report.logged.fetchFailures, context).toBeGreaterThanOrEqual(1);
      expect(report.logged.statusPushFailures, context).toBeGreaterThanOrEqual(1); // 7 refusals > 5 attempts: a round's reports waited for the next
      expect(report.logged.applies.failed ?? 0, context).toBeGreaterThanOrEqual(1); // the failing Job

      // Memory: the median RSS of the last third of the run against the first third's. A few minutes
      // cannot show a slow leak (the bench's longer soak is for that), and V8 grows its heap lazily
      // and collects when it likes, so the bound is generous: 50% more, plus 40 MiB. A leak of a
      // few KiB per request, or of every round's data, would exceed it.
      expect(report.rss.samples).toBeGreaterThan(30);
      expect(report.rss.lastThirdMedianMiB, context).toBeLessThanOrEqual(report.rss.firstThirdMedianMiB * 1.5 + 40);

      // No secret value (nor its base64) in any log line or status report.
      expect(report.secretsUsed).toBeGreaterThanOrEqual(20);
      expect(report.secretsInLogs, context).toBe(0);
      expect(report.secretsInStatus, context).toBe(0);
      expect(report.daemonExit, context).toBe(0);
      rmSync(root, { recursive: true, force: true }); // kept when a check fails, for its daemon.log
    },
  );
});
