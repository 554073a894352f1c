/**
 * The watch daemon holding many apps at rest, on the test cluster: its memory after 30 minutes of
 * drift checks, and its CPU while nothing changes. The minutes are shortened: the daemon
 * (watch-idle-child.ts, a process of its own) runs with an interval of INTERVAL_MS instead of the
 * default 30 s, so the drift rounds of 30 minutes (ROUNDS) run back to back in a couple of minutes.
 * Idle CPU at the default interval is computed from what it measured: a drift round's CPU, plus
 * the CPU it uses while it sleeps (the Lease renewed every 5 s) over the rest of the 30 s. After the
 * last round it sleeps one default interval, as a daemon at rest does between two rounds (V8 gives
 * memory back then), and its memory is read again. node runs with the flags deploy/kubemin.yaml
 * gives the daemon (DAEMON_NODE_FLAGS; without them the RSS is about 30 MiB more, see bench/README.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitYaml, type JsonValue } from '../src/bundle/yaml-emit.js';
import { kubectlRunner, trackNamespaces, type TestCluster } from './cluster.js';
import { BenchError } from './pipeline.js';
import { goal, recordFigure } from './results.js';
import { fmtMs, median, printTable, runCommand, type SectionContext } from './util.js';
import type { IdleChildConfig, IdleChildReport, MemorySample } from './watch-idle-child.js';

const APPS = 100;
/** The default --interval, which the shortened one stands for. */
const DEFAULT_INTERVAL_MS = 30_000;
/** 30 minutes of drift rounds at the default interval. */
const ROUNDS = (30 * 60_000) / DEFAULT_INTERVAL_MS;
const INTERVAL_MS = 500;
const CHILD_TIMEOUT_MS = 10 * 60_000;
const GOALS = { rssMiB: 150, idleCpuPercent: 2 };
/** As deploy/kubemin.yaml runs the daemon (its NODE_OPTIONS): V8's young generation at 2 MiB instead of 16. */
const DAEMON_NODE_FLAGS = ['--max-semi-space-size=2'];
const MiB = 1024 * 1024;

/** Runs the idle daemon; `git` runs the bench's own git (watch.ts). */
export async function benchWatchIdle(
  ctx: SectionContext,
  cluster: TestCluster,
  dir: string,
  namespaces: string[],
  git: (cwd: string, ...args: string[]) => Promise<string>,
): Promise<void> {
  console.log(
    `\nkubemin watch at rest: ${APPS} apps (a ConfigMap, a Deployment of 0 replicas and a Service each, in a namespace each), leader election on, drift apply, ` +
      `in a process of its own (node ${DAEMON_NODE_FLAGS.join(' ')}, as deploy/kubemin.yaml runs it); ${ROUNDS} drift rounds (30 minutes at the default --interval 30s) run every ${INTERVAL_MS} ms`,
  );
  // The Lease's namespace, and one namespace per app (as the diff and apply sections have them).
  const ns = `ki${randomBytes(3).toString('hex')}`;
  const appNamespace = (i: number): string => `${ns}-${String(i).padStart(3, '0')}`;
  const made = Array.from({ length: APPS + 1 }, (_, i) => (i === 0 ? ns : appNamespace(i)));
  namespaces.push(...made);
  trackNamespaces(namespaces);
  const created = await kubectlRunner(cluster, join(dir, 'kubectl-cache'))(
    ['apply', '--server-side', '--field-manager=kubemin-bench', '-f', '-'],
    made.map((name) => emitYaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubemin.dev/bench': ns } } })).join('---\n'),
  );
  if (created.code !== 0) throw new BenchError(`creating ${made.length} namespaces failed: ${(created.stderr || created.stdout).slice(0, 2000)}`);

  const remote = join(dir, 'idle-remote.git');
  const seed = join(dir, 'idle-seed');
  await mkdir(remote, { recursive: true });
  await mkdir(seed, { recursive: true });
  await git(remote, 'init', '--quiet', '--bare', '--initial-branch=main');
  await git(seed, 'init', '--quiet', '--initial-branch=main');
  await git(seed, 'remote', 'add', 'origin', remote);
  for (let i = 1; i <= APPS; i++) {
    const name = `app-${String(i).padStart(3, '0')}`;
    await mkdir(join(seed, 'apps', name), { recursive: true });
    await writeFile(join(seed, 'apps', name, 'kubemin.yaml'), idleAppSpec(appNamespace(i), name, i));
  }
  await git(seed, 'add', '--all');
  await git(seed, 'commit', '--quiet', '-m', `${APPS} apps`);
  await git(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');

  const config: IdleChildConfig = {
    repo: remote,
    workDir: join(dir, 'idle-work'),
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    apps: APPS,
    rounds: ROUNDS,
    intervalMs: INTERVAL_MS,
    restMs: DEFAULT_INTERVAL_MS,
  };
  const load0 = loadavg()[0]!;
  const childPath = fileURLToPath(new URL('./watch-idle-child.js', import.meta.url));
  const child = await runCommand(process.execPath, ['--expose-gc', ...DAEMON_NODE_FLAGS, childPath, JSON.stringify(config)], CHILD_TIMEOUT_MS);
  if (child.code !== 0) {
    ctx.fail(
      `kubemin watch at rest: the daemon's process ${child.timedOut ? 'timed out' : `exited ${child.code ?? child.signal}`}:\n${child.stderr.slice(-4000)}`,
    );
    return;
  }
  report(JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as IdleChildReport, ctx, [load0, loadavg()[0]!]);
}

function report(r: IdleChildReport, ctx: SectionContext, load: readonly [number, number]): void {
  const mib = (b: number): string => (b / MiB).toFixed(1);
  const row = (label: string, m: MemorySample): string[] => [label, mib(m.rss), mib(m.heapUsed), mib(m.heapTotal), mib(m.external)];
  const rows = r.memory.map((m) =>
    row(m.round === 0 ? 'every app applied (before the drift rounds)' : `after ${m.round} drift rounds (${(m.round * DEFAULT_INTERVAL_MS) / 60_000} min)`, m),
  );
  rows.push(row(`then ${DEFAULT_INTERVAL_MS / 1000} s asleep, as between two rounds at the default interval`, r.rested));
  rows.push(row('full GC before the first drift round', r.beforeGc), row(`full GC after ${ROUNDS} rounds`, r.afterGc));
  printTable(['daemon memory', 'RSS MiB', 'heap used MiB', 'heap total MiB', 'external MiB'], rows);

  const roundCpu = median(r.roundCpuMs);
  const roundWall = median(r.roundMs);
  const sleepCpuShare = r.sleepMs > 0 ? r.sleepCpuMs / r.sleepMs : 0;
  // One default interval: a drift round, then the rest of the 30 s asleep.
  const idlePercent = ((roundCpu + sleepCpuShare * DEFAULT_INTERVAL_MS) / (DEFAULT_INTERVAL_MS + roundWall)) * 100;
  const last = r.memory[r.memory.length - 1] ?? r.afterGc;
  const rested = r.rested;
  console.log(
    `  drift round (${APPS} apps): median ${fmtMs(roundWall)} ms wall, ${fmtMs(roundCpu)} ms CPU (min ${fmtMs(Math.min(...r.roundCpuMs))}, max ${fmtMs(Math.max(...r.roundCpuMs))}); ` +
      `asleep between rounds: ${(sleepCpuShare * 100).toFixed(2)}% of a core (${fmtMs(r.sleepCpuMs)} ms CPU in ${fmtMs(r.sleepMs)} ms)`,
  );
  console.log(
    `  info: startup to every app applied and its status pushed: ${fmtMs(r.firstApplyMs)} ms; peak RSS ${mib(r.maxRssKiB * 1024)} MiB; applies after the first: ${r.laterApplies}, drift found: ${r.drifts}`,
  );
  console.log(
    `  goal: RSS after 30 minutes of drift checks < ${GOALS.rssMiB} MiB: ${mib(rested.rss)} MiB between two rounds (${rested.rss / MiB < GOALS.rssMiB ? 'met' : 'NOT met'}); ` +
      `${mib(last.rss)} MiB right after the last round, with rounds back to back (${last.rss / MiB < GOALS.rssMiB ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  goal: idle CPU at --interval 30s < ${GOALS.idleCpuPercent}% of a core: ${idlePercent.toFixed(2)}% (a drift round every 30 s plus the sleep's share), ${idlePercent < GOALS.idleCpuPercent ? 'met' : 'NOT met'}`,
  );
  recordFigure({
    id: 'watch.idle-100-apps-rss-30min',
    section: 'watch',
    what: `kubemin watch at rest, ${APPS} apps: RSS after 30 minutes of drift checks, between two rounds`,
    unit: 'MiB',
    value: rested.rss / MiB,
    load,
    goal: goal(`RSS < ${GOALS.rssMiB} MiB (ratio: RSS / ${GOALS.rssMiB} MiB)`, 'at-most', 1, rested.rss / MiB / GOALS.rssMiB),
  });
  recordFigure({
    id: 'watch.idle-100-apps-heap-after-gc',
    section: 'watch',
    what: `kubemin watch at rest, ${APPS} apps: heap used after a full GC, after 30 minutes`,
    unit: 'MiB',
    value: r.afterGc.heapUsed / MiB,
    load,
  });
  recordFigure({
    id: 'watch.idle-100-apps-drift-round-cpu',
    section: 'watch',
    what: `kubemin watch at rest, ${APPS} apps: CPU of one drift round`,
    unit: 'ms',
    value: roundCpu,
    min: Math.min(...r.roundCpuMs),
    max: Math.max(...r.roundCpuMs),
    runs: r.roundCpuMs.length,
    load,
    goal: goal(
      `idle CPU at --interval 30s < ${GOALS.idleCpuPercent}% of a core (ratio: % / ${GOALS.idleCpuPercent})`,
      'at-most',
      1,
      idlePercent / GOALS.idleCpuPercent,
    ),
  });
  if (r.laterApplies > 0) ctx.fail(`kubemin watch at rest: ${r.laterApplies} applies after the first (${r.drifts} drifts found) on a cluster nobody touched`);
}

/** One app in its own namespace: a ConfigMap, and a webservice of 0 replicas (a Deployment and a Service; no pod to schedule). */
function idleAppSpec(ns: string, name: string, i: number): string {
  const spec: JsonValue = {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: {
      components: [
        { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info', APP_ID: String(i) } },
        { name: 'web', type: 'webservice', image: `ghcr.io/acme/${name}:1.0.${i}`, replicas: 0, ports: [{ port: 8080 }] },
      ],
    },
  };
  return emitYaml(spec);
}
