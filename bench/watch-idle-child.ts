/**
 * The watch daemon at rest, in a process of its own so that its memory is its own:
 *
 *   node --expose-gc build/bench/watch-idle-child.js '<IdleChildConfig as JSON>'
 *
 * Runs `watchRepo` as `kubemin watch` does (leader election on, drift `apply`) on a repository of
 * many apps, with a shortened interval: once every app is applied, it counts `rounds` drift rounds
 * (each a drift check of every app, finding nothing), sleeps once `restMs` (the default interval),
 * then stops and prints one JSON line
 * (IdleChildReport) on stdout. The clock it is given wraps the system clock to see the daemon's
 * sleeps between rounds: CPU in a round (drift check), and CPU while it sleeps (the Lease renewed
 * every 5 s, timers), are told apart.
 */
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../src/apply/clock.js';
import { DEFAULT_APP_CONCURRENCY } from '../src/defaults.js';
import { watchRepo } from '../src/operations/watch.js';
import { collectGarbage } from './pipeline.js';

export interface IdleChildConfig {
  readonly repo: string;
  readonly workDir: string;
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly apps: number;
  readonly rounds: number;
  readonly intervalMs: number;
  /** After the last round, one sleep this long (the default interval), as between two rounds of a daemon at rest. */
  readonly restMs: number;
}

export interface MemorySample {
  /** Drift rounds done when sampled (0: right after the first apply of every app). */
  readonly round: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Outside the heap (Buffers and other native memory held by JS objects; arrayBuffers included). */
  readonly external: number;
}

export interface IdleChildReport {
  /** From the daemon's start to every app applied and its status pushed. */
  readonly firstApplyMs: number;
  /** Per drift round: wall time and CPU time (user + system), ms. */
  readonly roundMs: number[];
  readonly roundCpuMs: number[];
  /** Summed over the sleeps between drift rounds: wall and CPU time, ms. */
  readonly sleepMs: number;
  readonly sleepCpuMs: number;
  readonly memory: MemorySample[];
  /** At the end of the last sleep (restMs): what a daemon at rest holds between two rounds. */
  readonly rested: MemorySample;
  /** After a full garbage collection, before the first drift round and after the last: what stays. */
  readonly beforeGc: MemorySample;
  readonly afterGc: MemorySample;
  readonly maxRssKiB: number;
  /** Applies after the first (drift found, or anything else): 0 on a quiet cluster. */
  readonly laterApplies: number;
  readonly drifts: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function memory(round: number): MemorySample {
  const m = process.memoryUsage();
  return { round, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as IdleChildConfig;
  const stop = new AbortController();
  const log: string[] = [];
  const t0 = performance.now();
  let written = 0;
  let firstApplyMs: number | undefined;
  let laterApplies = 0;
  let drifts = 0;
  const roundMs: number[] = [];
  const roundCpuMs: number[] = [];
  const memorySamples: MemorySample[] = [];
  let sleepMs = 0;
  let sleepCpuMs = 0;
  /** When the last sleep between rounds ended: a round starts. */
  let woke: { t: number; cpu: number } | undefined;
  let beforeGc: MemorySample | undefined;
  let rested: MemorySample | undefined;
  const sampleAt = new Set([0, 1, Math.round(cfg.rounds / 3), Math.round((2 * cfg.rounds) / 3), cfg.rounds]);

  const clock: Clock = {
    now: systemClock.now,
    async sleep(ms, signal) {
      // The Watcher sleeps intervalMs between rounds; other sleeps (the Lease, readiness) pass through.
      if (ms !== cfg.intervalMs || firstApplyMs === undefined) return systemClock.sleep(ms, signal);
      if (woke) {
        roundMs.push(performance.now() - woke.t);
        roundCpuMs.push(cpuMs() - woke.cpu);
      }
      if (sampleAt.has(roundMs.length)) memorySamples.push(memory(roundMs.length));
      if (roundMs.length === 0 && !beforeGc) {
        collectGarbage();
        beforeGc = memory(0);
      }
      if (roundMs.length >= cfg.rounds) {
        // V8 gives memory back once allocation has been low for a few seconds: at the default
        // interval that happens in every sleep, in the shortened one never.
        const at = { t: performance.now(), cpu: cpuMs() };
        await systemClock.sleep(cfg.restMs, signal);
        sleepMs += performance.now() - at.t;
        sleepCpuMs += cpuMs() - at.cpu;
        rested = memory(cfg.rounds);
        stop.abort();
        return;
      }
      const at = { t: performance.now(), cpu: cpuMs() };
      await systemClock.sleep(ms, signal);
      sleepMs += performance.now() - at.t;
      sleepCpuMs += cpuMs() - at.cpu;
      woke = { t: performance.now(), cpu: cpuMs() };
    },
  };

  await watchRepo({
    repo: cfg.repo,
    workDir: cfg.workDir,
    kubeconfig: cfg.kubeconfig,
    branch: 'main',
    path: 'apps',
    author: { name: 'kubemin', email: 'kubemin@localhost' },
    auth: {},
    logFormat: 'json',
    drift: 'apply',
    prune: true,
    appConcurrency: DEFAULT_APP_CONCURRENCY,
    leaderElection: true,
    leaseNamespace: cfg.namespace,
    leaseName: 'kubemin-watch-idle',
    intervalMs: cfg.intervalMs,
    clock,
    signal: stop.signal,
    write: (line) => {
      log.push(line.trimEnd());
      if (log.length > 40) log.shift();
    },
    onEvent: (e) => {
      if (e.type === 'apply-start' && firstApplyMs !== undefined) laterApplies++;
      if (e.type === 'drift') drifts++;
      if (e.type === 'status-written' && ++written === cfg.apps) firstApplyMs = performance.now() - t0;
    },
  });
  if (firstApplyMs === undefined || roundMs.length < cfg.rounds || !beforeGc || !rested) {
    throw new Error(`the daemon stopped after ${written} of ${cfg.apps} status commits and ${roundMs.length} drift rounds; its log (end):\n${log.join('\n')}`);
  }
  collectGarbage();
  const report: IdleChildReport = {
    firstApplyMs,
    roundMs,
    roundCpuMs,
    sleepMs,
    sleepCpuMs,
    memory: memorySamples,
    rested,
    beforeGc,
    afterGc: memory(cfg.rounds),
    maxRssKiB: process.resourceUsage().maxRSS,
    laterApplies,
    drifts,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
