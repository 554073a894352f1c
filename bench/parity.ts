/**
 * The `parity` section: the differential test of test/parity/api-parity.test.ts at a larger
 * scale and with a new seed each run. Random applications (parity/spec-arbitrary.ts) are
 * compiled, and every object of each one kubemin accepts is sent to the test cluster's API server
 * as a server-side apply dry-run. A refusal is a bug of kubemin: it is printed with its spec and
 * the seed, and fails the bench. KUBEMIN_BENCH_PARITY_CASES (default 5000) and
 * KUBEMIN_BENCH_PARITY_SEED choose the cases.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect } from '../src/cluster/http-client.js';
import { deleteNamespaces, testCluster, trackNamespaces } from './cluster.js';
import { describeRefusals, describeSummary, runParity } from './parity/dry-run.js';
import { BenchError } from './pipeline.js';
import { fmtInt, fmtMs, type SectionContext } from './util.js';

const DEFAULT_CASES = 5000;

export async function benchParity(ctx: SectionContext): Promise<void> {
  const cases = positiveInt(process.env['KUBEMIN_BENCH_PARITY_CASES'], 'KUBEMIN_BENCH_PARITY_CASES') ?? DEFAULT_CASES;
  const seed = positiveInt(process.env['KUBEMIN_BENCH_PARITY_SEED'], 'KUBEMIN_BENCH_PARITY_SEED') ?? randomInt(2 ** 31);
  console.log(
    `\nwhat kubemin accepts, the API server accepts: ${cases} random specs (seed ${seed}; KUBEMIN_BENCH_PARITY_CASES, ` +
      `KUBEMIN_BENCH_PARITY_SEED), every object of each one kubemin accepts dry-run on the test cluster`,
  );
  const cluster = await testCluster();
  if ('skipped' in cluster) {
    console.log(`  skipped: test cluster not available (${cluster.skipped})`);
    return;
  }
  const namespace = `kp${randomBytes(3).toString('hex')}`;
  trackNamespaces([namespace]);
  const client = await connect({ kubeconfig: cluster.kubeconfig });
  try {
    await client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'kubemin.dev/bench': namespace } } },
      { fieldManager: 'kubemin-bench', force: true, dryRun: false },
    );
    const start = performance.now();
    const summary = await runParity({ client, namespace, cases, seed });
    const ms = performance.now() - start;
    console.log(`  ${describeSummary(summary).replace(/\n/g, '\n  ')}`);
    console.log(
      `  ${fmtMs(ms)} ms: ${fmtInt((summary.cases / ms) * 1000)} specs/s, ${fmtInt((summary.objects / ms) * 1000)} objects dry-run/s ` +
        `(${client.requests} requests)`,
    );
    if (summary.refusals.length) {
      ctx.fail(`the API server refused ${summary.refusals.length} objects of specs kubemin accepted (seed ${seed}):\n${describeRefusals(summary.refusals)}`);
    }
  } finally {
    client.close();
    await deleteNamespaces([namespace]);
  }
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new BenchError(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return n;
}
