/**
 * The diff section of `npm run bench`: `kubemin diff` against the test cluster (README, "Test
 * cluster") at 100 and 1000 objects, beside `kubectl diff --server-side` on the same rendered
 * bundle. See bench/README.md.
 *
 * Setup: the generated apps are compiled in-process and applied as kubemin would (server-side
 * apply, field manager `kubemin`, plus each app's inventory ConfigMap); the specs that are then
 * diffed bump the web Deployment's image in every app, so each app has one update.
 *
 * The cluster comes from cluster.ts (started once per bench, released at its end). The namespaces
 * made here are deleted (without waiting) at the end of the section.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emitStream } from '../src/bundle/emit-bundle.js';
import { emitYaml, type JsonValue } from '../src/bundle/yaml-emit.js';
import { connect } from '../src/cluster/http-client.js';
import { type ClusterClient } from '../src/cluster/types.js';
import { refOf, type ObjectRef } from '../src/k8s/object-ref.js';
import { compile, type CompiledApp } from '../src/compile.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatText } from '../src/diagnostics/format-text.js';
import { diffApps } from '../src/cluster/diff-apps.js';
import { formatSummary, summarize, type AppDiff, type DiffSummary } from '../src/diff/types.js';
import { encodeInventory, inventoryName } from '../src/inventory/inventory.js';
import { readSpecFiles } from '../src/files/find-spec-files.js';
import {
  countKubectlRequests,
  deleteNamespaces,
  describeSettle,
  KUBECTL_TIMEOUT_MS,
  kubectlRunner,
  kubeminBin,
  nonLogLines,
  observedClient,
  settle,
  testCluster,
  trackNamespaces,
  type TestCluster,
} from './cluster.js';
import { appName, appSpec } from './generate.js';
import { BenchError, collectGarbage } from './pipeline.js';
import { goal, recordFigure } from './results.js';
import { loadavg } from 'node:os';
import { countMatches, fmtInt, fmtMs, fmtRatio, median, printTable, runCommand, type SectionContext } from './util.js';

/** Applications diffed (10 objects each): 100 and 1000 objects. The largest is set up once; smaller sizes diff its first apps. */
const APP_COUNTS = [10, 100] as const;
const WARMUP = 1;
const RUNS = 3;
const GOALS = {
  /** kubemin diff (in-process) at least this many times faster than kubectl diff on the same objects (issue 14). */
  vsKubectl: 5,
  /** API requests per object. */
  requestsPerObject: 1.1,
};

export async function benchDiff(ctx: SectionContext): Promise<void> {
  console.log(
    `\nkubemin diff against the test cluster: ${APP_COUNTS.map((n) => `${n * 10} objects`).join(' and ')} ` +
      `(${APP_COUNTS.join(' / ')} apps, one namespace each), one image update per app`,
  );
  const cluster = await testCluster();
  if ('skipped' in cluster) {
    console.log(`  skipped: test cluster not available (${cluster.skipped})`);
    return;
  }
  const namespaces: string[] = [];
  try {
    await measure(ctx, cluster, namespaces);
  } finally {
    await deleteNamespaces(namespaces);
  }
}

// ---------------------------------------------------------------------------- measurement

interface Size {
  readonly apps: number;
  readonly objects: number;
  readonly compiled: CompiledApp[];
  readonly specDir: string;
  /** The rendered bundle's app directories (kubectl diff -R -f each). */
  readonly bundleDirs: string[];
  readonly expected: DiffSummary;
}

interface KubeminRun {
  readonly ms: number;
  /** CPU time of this process (user + system) during the run: kubemin's own share of the work. */
  readonly cpuMs: number;
  readonly requests: number;
  readonly calls: CallCounts;
  readonly summary: DiffSummary;
  readonly diffs: AppDiff[];
}

type Timed = { readonly median: number; readonly min: number; readonly max: number; readonly runs: number };

async function measure(ctx: SectionContext, cluster: TestCluster, namespaces: string[]): Promise<void> {
  const { root, fail } = ctx;
  const maxApps = Math.max(...APP_COUNTS);
  // Names unique to this run: namespaces of an earlier run may still be terminating.
  const prefix = `kb${randomBytes(3).toString('hex')}`;
  const nameOf = (i: number): string => `${prefix}-${String(i).padStart(4, '0')}`;
  const indices = Array.from({ length: maxApps }, (_, k) => k + 1);
  const { kubeconfig } = cluster;
  const kubectlRun = kubectlRunner(cluster, join(root, 'kubectl-cache'));

  // ---- setup: compile in-process, namespaces, then one server-side apply of every object as kubemin
  const deployed = compile(indices.map((i) => ({ path: `apps/${nameOf(i)}/kubemin.yaml`, text: appSpec(i, nameOf(i)) })));
  if (hasErrors(deployed.diagnostics) || deployed.apps.length !== maxApps) {
    throw new BenchError(`the generated specs do not compile:\n${formatText(deployed.diagnostics.slice(0, 20), deployed.sources)}`);
  }
  namespaces.push(...deployed.apps.map((a) => a.namespace));
  trackNamespaces(namespaces);
  // Each namespace gets a ResourceQuota of no pods and no claims: the Deployments, StatefulSets
  // and Jobs exist (and are diffed) but no pods are made, so the 2-core machine running the control
  // plane is not busy scheduling and faking hundreds of pods while the diffs are timed.
  const nsStream = namespaces
    .flatMap((ns): JsonValue[] => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubemin.dev/bench': prefix } } },
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'kubemin-bench-no-pods', namespace: ns },
        spec: { hard: { pods: '0', persistentvolumeclaims: '0' } },
      },
    ])
    .map((o) => `---\n${emitYaml(o)}`)
    .join('');
  // --validate=false: with validation on, kubectl spends about 25 ms of CPU per object before it sends
  // anything (24 of the 39 s that applying the 1100 objects took otherwise). The diffs check what was applied.
  const nsApply = await kubectlRun(['apply', '--server-side', '--validate=false', '--field-manager=kubemin-bench', '-f', '-'], nsStream);
  if (nsApply.code !== 0) throw new BenchError(`creating the namespaces failed: ${(nsApply.stderr || nsApply.stdout).slice(0, 2000)}`);
  const nsMs = nsApply.ms;

  const inventories = deployed.apps.map((app) =>
    encodeInventory({ app: app.name, namespace: app.namespace, objects: app.phases.flatMap((p) => p.objects.map((o) => refOf(o.object))) }),
  );
  const stream = emitStream(deployed.apps) + inventories.map((cm) => `---\n${emitYaml(cm as unknown as JsonValue)}`).join('');
  const deployedObjects = countObjects(deployed.apps);
  const applied = await kubectlRun(['apply', '--server-side', '--validate=false', '--field-manager=kubemin', '-f', '-'], stream, KUBECTL_TIMEOUT_MS);
  const appliedCount = countMatches(applied.stdout, / serverside-applied$/gm);
  if (applied.timedOut) throw new BenchError(`the setup apply of ${deployedObjects} objects took more than ${KUBECTL_TIMEOUT_MS / 1000} s`);
  if (applied.code !== 0 || appliedCount !== deployedObjects + inventories.length) {
    throw new BenchError(
      `the setup apply failed (exit ${applied.code}, ${appliedCount} of ${deployedObjects + inventories.length} objects applied): ${(applied.stderr || applied.stdout).slice(0, 2000)}`,
    );
  }
  const settleMs = await settle();
  console.log(
    `  setup: ${namespaces.length} namespaces (with a ResourceQuota of 0 pods) in ${fmtMs(nsMs)} ms; ` +
      `${fmtInt(deployedObjects)} objects + ${inventories.length} inventory ConfigMaps in one kubectl apply --server-side ` +
      `--validate=false --field-manager=kubemin in ${fmtMs(applied.ms)} ms (${fmtInt((appliedCount / applied.ms) * 1000)} objects/s); ` +
      `${describeSettle(settleMs)} more`,
  );

  // ---- what is diffed: the same apps with the web image bumped, as spec trees and a rendered bundle
  const specText = (i: number): string => appSpec(i, nameOf(i), { webImage: `ghcr.io/acme/${appName(i)}:2.0.0` });
  const sizes: Size[] = [];
  for (const n of APP_COUNTS) {
    const specDir = join(root, `diff-specs-${n}`);
    for (let i = 1; i <= n; i++) {
      await mkdir(join(specDir, 'apps', nameOf(i)), { recursive: true });
      await writeFile(join(specDir, 'apps', nameOf(i), 'kubemin.yaml'), specText(i));
    }
    sizes.push({ apps: n, objects: 0, compiled: [], specDir, bundleDirs: [], expected: { create: 0, update: 0, delete: 0, unchanged: 0, errors: 0 } });
  }
  const bundleRoot = join(root, 'diff-bundle');
  const largest = sizes.at(-1)!;
  const rendered = await runCommand(process.execPath, [kubeminBin, 'render', largest.specDir, '--out', bundleRoot], KUBECTL_TIMEOUT_MS);
  if (rendered.code !== 0) throw new BenchError(`kubemin render failed (exit ${rendered.code}): ${rendered.stderr.slice(0, 2000)}`);
  // Only the app directories: the <app>.plan.json files beside them are not manifests.
  const appDirs = (await readdir(bundleRoot, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const compileMs = new Map<number, number>();
  for (const [k, s] of sizes.entries()) {
    const c0 = performance.now();
    const result = compile(await readSpecFiles(['.'], s.specDir));
    compileMs.set(s.apps, performance.now() - c0);
    if (hasErrors(result.diagnostics) || result.apps.length !== s.apps) {
      throw new BenchError(`the bumped specs do not compile:\n${formatText(result.diagnostics.slice(0, 20), result.sources)}`);
    }
    const objects = countObjects(result.apps);
    sizes[k] = {
      ...s,
      compiled: result.apps,
      objects,
      bundleDirs: appDirs.slice(0, s.apps).map((d) => join(bundleRoot, d)),
      expected: { create: 0, update: s.apps, delete: 0, unchanged: objects - s.apps, errors: 0 },
    };
  }
  console.log(
    `  diffed: the same apps with the web Deployment's image bumped (${fmtMs(rendered.ms)} ms for \`kubemin render --out\` of ` +
      `${largest.apps} apps, for kubectl); expected per size: ${formatSummary(sizes[0]!.expected)} (and so on)`,
  );
  console.log(`  ${WARMUP} warm-up + ${RUNS} runs each, median ms (range)`);

  // ---- the measurements
  const rows: string[][] = [];
  const goals: string[][] = [];
  const notes: string[] = [];
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  for (const s of sizes) {
    const label = `${fmtInt(s.objects)} objects`;

    // kubemin, in-process: connect (kubeconfig, TLS) + diffApps, a fresh client (and discovery) each run
    const loadBefore = loadavg()[0]!;
    const runs: KubeminRun[] = [];
    for (let r = 0; r < WARMUP + RUNS; r++) {
      collectGarbage();
      const run = await kubeminOnce(s.compiled, kubeconfig);
      const problem = checkSummary(run.summary, s.expected, run.diffs);
      if (problem) {
        fail(`kubemin diff of ${label}: ${problem}`);
        break;
      }
      if (r >= WARMUP) runs.push(run);
    }
    const kubemin = runs.length ? timed(runs.map((r) => r.ms)) : undefined;
    const lastRun = runs.at(-1);

    // kubemin, the CLI end to end once: node startup, read, compile, connect, diff, print
    const cli = await runCommand(process.execPath, [kubeminBin, 'diff', s.specDir, '--kubeconfig', kubeconfig], KUBECTL_TIMEOUT_MS);
    const cliSummary = cli.stdout.trimEnd().split('\n').pop() ?? '';
    let cliMs: number | undefined;
    if (cli.timedOut) notes.push(`kubemin CLI at ${label}: stopped after ${KUBECTL_TIMEOUT_MS / 1000} s`);
    else if (cli.code !== 1 || cliSummary !== formatSummary(s.expected)) {
      fail(
        `node bin/kubemin.js diff (${label}) exited ${cli.code ?? cli.signal}, last line "${cliSummary}" (expected exit 1, "${formatSummary(s.expected)}"):\n${cli.stderr.slice(0, 2000)}`,
      );
    } else cliMs = cli.ms;

    // kubectl diff: the warm-up run at -v=6 counts its requests (discovery is already in its disk cache from the setup)
    const kubectlArgs = ['diff', '--server-side', '--field-manager=kubemin', '-R', ...s.bundleDirs.flatMap((d) => ['-f', d])];
    const kTimes: number[] = [];
    let kRequests: number | undefined;
    for (let r = 0; r < WARMUP + RUNS; r++) {
      collectGarbage();
      const verbose = r === 0;
      const k = await kubectlRun(verbose ? ['-v=6', ...kubectlArgs] : kubectlArgs);
      if (k.timedOut) {
        notes.push(`kubectl diff at ${label}: stopped after ${KUBECTL_TIMEOUT_MS / 1000} s`);
        break;
      }
      // Exit 1 is "differences found": success here. 0 would mean it saw no change at all.
      if (k.code !== 1) {
        const why = k.code === 0 ? 'exited 0 (no differences), expected 1' : `exited ${k.code ?? k.signal}`;
        fail(`kubectl diff (${label}) ${why}:\n${nonLogLines(k.stderr).slice(0, 2000)}`);
        break;
      }
      const changed = countMatches(k.stdout, /^diff -u -N /gm);
      if (changed !== s.expected.update) {
        fail(`kubectl diff (${label}) shows ${changed} changed objects, expected ${s.expected.update}`);
        break;
      }
      if (verbose) kRequests = countKubectlRequests(k.stderr);
      else kTimes.push(k.ms);
    }
    const kube = kTimes.length === RUNS ? timed(kTimes) : undefined;
    const load: [number, number] = [loadBefore, loadavg()[0]!];

    const requests = lastRun?.requests;
    const perObject = requests !== undefined ? requests / s.objects : undefined;
    rows.push([
      label,
      String(s.apps),
      kubemin ? fmtTimed(kubemin) : 'FAILED',
      kubemin ? fmtInt((s.objects / kubemin.median) * 1000) : '-',
      requests !== undefined ? fmtInt(requests) : '-',
      perObject !== undefined ? perObject.toFixed(2) : '-',
      cliMs !== undefined ? fmtMs(cliMs) : '-',
      kube ? fmtTimed(kube) : 'FAILED',
      kube ? fmtInt((s.objects / kube.median) * 1000) : '-',
      kRequests !== undefined ? (kRequests / s.objects).toFixed(2) : '-',
      kube && kubemin ? `${(kube.median / kubemin.median).toFixed(1)}x` : '-',
    ]);

    if (kube && kubemin) {
      const ratio = kube.median / kubemin.median;
      goals.push([
        `faster than kubectl diff, ${label}`,
        `${fmtMs(kubemin.median)} vs ${fmtMs(kube.median)} ms: ${fmtRatio(ratio)}`,
        `>= ${GOALS.vsKubectl}x`,
        verdict(ratio >= GOALS.vsKubectl),
      ]);
      recordFigure({
        id: `diff.${s.objects}-objects`,
        section: 'diff',
        what: `kubemin diff in-process, ${label} (${s.apps} apps), vs kubectl diff --server-side`,
        unit: 'ms',
        value: kubemin.median,
        min: kubemin.min,
        max: kubemin.max,
        runs: kubemin.runs,
        cpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
        load,
        reference: { what: 'kubectl diff --server-side', value: kube.median },
        goal: goal(`at least ${GOALS.vsKubectl}x faster than kubectl diff (ratio: kubectl / kubemin)`, 'at-least', GOALS.vsKubectl, ratio),
      });
      if (cliMs !== undefined)
        notes.push(
          `${label}: kubemin CLI end to end ${fmtMs(cliMs)} ms (node startup included) vs kubectl diff ${fmtMs(kube.median)} ms: ${fmtRatio(kube.median / cliMs)}`,
        );
    } else {
      goals.push([`faster than kubectl diff, ${label}`, 'not measured', `>= ${GOALS.vsKubectl}x`, '-']);
    }
    if (lastRun && kubemin && perObject !== undefined) {
      goals.push([
        `API requests per object, ${label}`,
        `${perObject.toFixed(2)} (${fmtInt(lastRun.requests)} requests)`,
        `<= ${GOALS.requestsPerObject}`,
        verdict(perObject <= GOALS.requestsPerObject),
      ]);
      recordFigure({
        id: `diff.${s.objects}-objects-requests`,
        section: 'diff',
        what: `kubemin diff, API requests for ${label}`,
        unit: 'count',
        value: lastRun.requests,
        load,
        goal: goal(`at most ${GOALS.requestsPerObject} requests per object (ratio: requests per object)`, 'at-most', GOALS.requestsPerObject, perObject),
      });
      notes.push(`${label}: kubemin's ${fmtInt(lastRun.requests)} requests = ${describeCalls(lastRun.calls, lastRun.requests)}`);
      const cpuMs = median(runs.map((r) => r.cpuMs));
      notes.push(
        `${label}: kubemin's own CPU (user + system, this process) ${fmtMs(cpuMs)} ms per run of ${fmtMs(kubemin.median)} ms: the rest is waiting for the API server`,
      );
    }
    if (kRequests !== undefined) notes.push(`${label}: kubectl diff sent ${fmtInt(kRequests)} requests (counted at -v=6 in its warm-up run)`);
    notes.push(`${label}: compiling the ${s.apps} spec files (read + compile, not in the diff times) took ${fmtMs(compileMs.get(s.apps)!)} ms`);
  }

  printTable(
    [
      'size',
      'apps',
      'kubemin diff ms',
      'objects/s',
      'requests',
      'req/object',
      'kubemin CLI ms',
      'kubectl diff ms',
      'objects/s',
      'req/object',
      'kubectl/kubemin',
    ],
    rows,
  );
  console.log('  kubemin diff: in-process connect({kubeconfig}) + diffApps(apps, client), a new client each run; kubemin CLI: one run of');
  console.log('  `node bin/kubemin.js diff <spec dir> --kubeconfig ...`; kubectl diff --server-side --field-manager=kubemin -R -f <app dir>...');
  console.log('  on the rendered bundle (process startup included in both command times)');
  console.log('\n  goals (reported, not enforced; kubemin = in-process median)');
  printTable(['goal', 'measured', 'target', 'status'], goals);
  for (const n of notes) console.log(`  info: ${n}`);
}

async function kubeminOnce(apps: readonly CompiledApp[], kubeconfig: string): Promise<KubeminRun> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const client = await connect({ kubeconfig });
  try {
    const calls = newCallCounts();
    const diffs = await diffApps(apps, countingClient(client, calls));
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, requests: client.requests, calls, summary: summarize(diffs), diffs };
  } finally {
    client.close();
  }
}

/** Undefined when the diff is what the setup makes it: one update per app, the rest unchanged, no problems. */
function checkSummary(got: DiffSummary, expected: DiffSummary, diffs: readonly AppDiff[]): string | undefined {
  if (formatSummary(got) === formatSummary(expected)) return undefined;
  const problems = diffs.flatMap((a) => a.problems).slice(0, 5);
  const odd = diffs.flatMap((a) =>
    a.objects.filter((o) => o.action !== 'unchanged' && !(o.action === 'update' && o.ref.kind === 'Deployment' && o.ref.name === 'web')),
  );
  return (
    `got "${formatSummary(got)}", expected "${formatSummary(expected)}"` +
    problems.map((p) => `\n  ${p.ref.kind} ${p.ref.namespace ?? ''}/${p.ref.name}: ${p.reason}: ${p.message}`).join('') +
    odd
      .slice(0, 3)
      .map((o) => `\n  ${o.action} ${o.ref.kind} ${o.ref.namespace ?? ''}/${o.ref.name}:\n${o.diff.slice(0, 1000)}`)
      .join('')
  );
}

// ---------------------------------------------------------------------------- request accounting

interface CallCounts {
  getObject: number;
  getNamespace: number;
  getInventory: number;
  apply: number;
  /** Other request-making methods, by name. */
  other: Record<string, number>;
}

function newCallCounts(): CallCounts {
  return { getObject: 0, getNamespace: 0, getInventory: 0, apply: 0, other: {} };
}

/** The client, counting the calls that each send one request (GETs by what they fetch). */
function countingClient(client: ClusterClient, calls: CallCounts): ClusterClient {
  return observedClient(client, (method, args) => {
    if (method === 'get') {
      const ref = args[0] as ObjectRef;
      if (ref.kind === 'Namespace') calls.getNamespace++;
      else if (ref.kind === 'ConfigMap' && ref.name.startsWith(inventoryName(''))) calls.getInventory++;
      else calls.getObject++;
    } else if (method === 'apply') calls.apply++;
    else if (method === 'list') {
      const key = `LIST ${String(args[1])}${(args[2] as { namespace?: string } | undefined)?.namespace ? '' : ' across namespaces'}`;
      calls.other[key] = (calls.other[key] ?? 0) + 1;
    } else calls.other[method] = (calls.other[method] ?? 0) + 1;
  });
}

function describeCalls(c: CallCounts, total: number): string {
  const counted = c.getObject + c.getNamespace + c.getInventory + c.apply + Object.values(c.other).reduce((a, b) => a + b, 0);
  const parts = [
    `${fmtInt(c.getObject)} GET object`,
    `${fmtInt(c.apply)} apply dry-run`,
    ...(c.getNamespace ? [`${fmtInt(c.getNamespace)} GET namespace`] : []),
    ...(c.getInventory ? [`${fmtInt(c.getInventory)} GET inventory`] : []),
    ...Object.entries(c.other).map(([k, v]) => `${fmtInt(v)} ${k}`),
    `${fmtInt(total - counted)} discovery (one per group-version)`,
  ];
  return parts.join(' + ');
}

// ---------------------------------------------------------------------------- helpers

function countObjects(apps: readonly CompiledApp[]): number {
  return apps.reduce((n, a) => n + a.phases.reduce((m, p) => m + p.objects.length, 0), 0);
}

function timed(xs: readonly number[]): Timed {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length };
}

function fmtTimed(t: Timed): string {
  return t.runs > 1 ? `${fmtMs(t.median)} (${fmtMs(t.min)}-${fmtMs(t.max)})` : fmtMs(t.median);
}
