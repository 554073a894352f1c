/**
 * The watch section of `npm run bench`: how long `kubemin watch` takes from a git push to the
 * apply, on a bare repository in a temporary directory and the test cluster (README, "Test
 * cluster"). See bench/README.md.
 *
 * The daemon runs in-process (`watchRepo`, as `kubemin watch` runs it) with an interval of an hour,
 * so that only the push webhook (`POST /hooks/git`) starts a round. One app (a webservice, 1
 * replica) gets its image bumped, committed and pushed, then the webhook is called; the daemon's
 * events (`round`, `apply-start`, `apply-end`, `status-written`) are timed from the end of the push.
 * A second daemon, without the webhook, polls every POLL_INTERVAL_MS: what polling costs. Then the
 * daemon holding 100 apps at rest: memory and CPU of 30 minutes of drift checks (watch-idle.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { emitYaml, type JsonValue } from '../src/bundle/yaml-emit.js';
import { connect } from '../src/cluster/http-client.js';
import type { ClusterClient } from '../src/cluster/types.js';
import type { K8sObject } from '../src/k8s/types.js';
import { watchRepo, type WatchRunOptions } from '../src/operations/watch.js';
import type { WatchEvent } from '../src/watch/daemon.js';
import { deleteNamespaces, describeSettle, kubectlRunner, settle, testCluster, trackNamespaces, type TestCluster } from './cluster.js';
import { BenchError, collectGarbage } from './pipeline.js';
import { goal, recordFigure } from './results.js';
import { benchWatchIdle } from './watch-idle.js';
import { fmtMs, median, printTable, runCommand, type SectionContext } from './util.js';

/** Measured pushes with the webhook, after WARMUP. */
const RUNS = 10;
const WARMUP = 1;
/** The second daemon's interval (no webhook), and how many pushes it gets, spread evenly over it. */
const POLL_INTERVAL_MS = 2_000;
const POLL_SAMPLES = 5;
/** The daemon's readiness polls (`--poll-interval`). */
const READINESS_POLL_MS = 100;
/** How often the bench's own observer looks at the Deployment while the daemon applies. */
const OBSERVE_MS = 25;
/** Waiting for one of the daemon's events; longer is an error (the daemon's log is shown). */
const EVENT_TIMEOUT_MS = 60_000;
const GIT_TIMEOUT_MS = 30_000;
/** Issue 14: from the end of `git push` to the status commit pushed, with the webhook (median). */
const GOAL_PUSH_TO_STATUS_MS = 300;
/** The app and its one component (a Deployment and a Service). */
const APP = 'web';
const IMAGE = 'ghcr.io/acme/web';

type Seen = { readonly event: WatchEvent; readonly t: number };
type Of<T extends WatchEvent['type']> = Extract<WatchEvent, { type: T }>;

/** One push, timed from the end of `git push` (performance.now()). */
interface Sample {
  readonly pushMs: number;
  readonly hookMs: number | undefined;
  readonly fetched: number;
  readonly started: number;
  readonly applied: number;
  readonly written: number;
  /** When the bench's observer saw the Deployment rolled out, from the push; undefined if it did not before apply-end. */
  readonly rolledOut: number | undefined;
  readonly phaseMs: number;
}

export async function benchWatch(ctx: SectionContext): Promise<void> {
  console.log(
    `\nkubemin watch, push to apply on the test cluster: a bare repo in a temp dir, one app (webservice, 1 replica), ` +
      `daemon in-process (interval 1 h, push webhook, readiness poll ${READINESS_POLL_MS} ms, drift off); ` +
      `${WARMUP} warm-up + ${RUNS} image bumps; then polling every ${POLL_INTERVAL_MS / 1000} s without the webhook`,
  );
  const cluster = await testCluster();
  if ('skipped' in cluster) {
    console.log(`  skipped: test cluster not available (${cluster.skipped})`);
    return;
  }
  const start = performance.now();
  const dir = join(ctx.root, 'watch');
  const namespaces: string[] = [];
  try {
    await measure(ctx, cluster, dir, namespaces);
    await benchWatchIdle(ctx, cluster, dir, namespaces, git);
  } finally {
    await deleteNamespaces(namespaces);
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`  the watch section took ${(Math.round((performance.now() - start) / 100) / 10).toFixed(1)} s (the cluster's start and stop not included)`);
}

async function measure(ctx: SectionContext, cluster: TestCluster, dir: string, namespaces: string[]): Promise<void> {
  const { fail } = ctx;
  // Earlier work (the apply section's namespaces being deleted, another cluster's tests) shows in the times.
  console.log(`  before: ${describeSettle(await settle())}`);
  const ns = `kw${randomBytes(3).toString('hex')}`;
  namespaces.push(ns);
  trackNamespaces(namespaces);
  const made = await kubectlRunner(cluster, join(dir, 'kubectl-cache'))(
    ['apply', '--server-side', '--field-manager=kubemin-bench', '-f', '-'],
    emitYaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubemin.dev/bench': ns } } }),
  );
  if (made.code !== 0) throw new BenchError(`creating namespace ${ns} failed: ${(made.stderr || made.stdout).slice(0, 2000)}`);

  // ---- the remote and the seeding clone
  const remote = join(dir, 'remote.git');
  const seed = join(dir, 'seed');
  await mkdir(remote, { recursive: true });
  await mkdir(join(seed, 'apps', APP), { recursive: true });
  await git(remote, 'init', '--quiet', '--bare', '--initial-branch=main');
  await git(seed, 'init', '--quiet', '--initial-branch=main');
  await git(seed, 'remote', 'add', 'origin', remote);
  const specFile = join(seed, 'apps', APP, 'kubemin.yaml');
  let version = 0;
  await writeFile(specFile, appSpec(ns, `${IMAGE}:1.${version}`));
  await git(seed, 'add', '--all');
  await git(seed, 'commit', '--quiet', '-m', `${APP} 1.${version}`);
  await git(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  const first = await git(seed, 'rev-parse', 'HEAD');

  const observer = await connect({ kubeconfig: cluster.kubeconfig });
  try {
    // ---- webhook: the first apply, then RUNS image bumps after WARMUP
    const load0 = loadavg()[0]!;
    const t0 = performance.now();
    const hooked = startDaemon(cluster, { repo: remote, workDir: join(dir, 'work-hook'), intervalMs: 3_600_000, listen: '127.0.0.1:0' });
    const samples: Sample[] = [];
    let firstApplyMs: number | undefined;
    try {
      const written = await hooked.waitFor(
        'the first apply and its status commit',
        (e): e is Of<'status-written'> => e.type === 'status-written' && e.app === APP && e.report.commit === first,
      );
      firstApplyMs = written.t - t0;
      if (!checkApplied(hooked, first, 'first apply', fail)) return;
      const url = hooked.url();
      if (!url) throw new BenchError(`the daemon is not listening; its log:\n${hooked.logTail()}`);
      collectGarbage();
      for (let r = 0; r < WARMUP + RUNS; r++) {
        const sample = await pushAndTime(hooked, seed, specFile, ns, ++version, fail, observer, async () => {
          const h0 = performance.now();
          const res = await fetch(`${url}/hooks/git`, { method: 'POST', body: '{}' });
          await res.text();
          if (res.status !== 202) throw new BenchError(`POST ${url}/hooks/git answered ${res.status}`);
          return performance.now() - h0;
        });
        if (!sample) return;
        if (r >= WARMUP) samples.push(sample);
      }
    } finally {
      await hooked.close();
    }

    // ---- the same with a notification sink that never answers (issue 17: it must hold nothing up)
    const hanging = await hangingServer();
    const notifyFile = join(dir, 'notify.yaml');
    await writeFile(
      notifyFile,
      ['apiVersion: kubemin.dev/v1alpha1', 'kind: Notifications', 'sinks:', '  - name: stuck', '    type: webhook', `    url: ${hanging.url}/never`, ''].join(
        '\n',
      ),
    );
    const notifying = startDaemon(cluster, {
      repo: remote,
      workDir: join(dir, 'work-notify'),
      intervalMs: 3_600_000,
      listen: '127.0.0.1:0',
      notify: notifyFile,
    });
    const withSink: Sample[] = [];
    try {
      await notifying.waitFor('the notifying daemon to fetch', (e): e is Of<'round'> => e.type === 'round');
      const url = notifying.url();
      if (!url) throw new BenchError(`the daemon is not listening; its log:\n${notifying.logTail()}`);
      for (let r = 0; r < WARMUP + RUNS; r++) {
        const sample = await pushAndTime(notifying, seed, specFile, ns, ++version, fail, undefined, async () => {
          const h0 = performance.now();
          const res = await fetch(`${url}/hooks/git`, { method: 'POST', body: '{}' });
          await res.text();
          return performance.now() - h0;
        });
        if (!sample) break;
        if (r >= WARMUP) withSink.push(sample);
      }
    } finally {
      await notifying.close();
      hanging.close();
    }
    reportHangingSink(samples, withSink, hanging.requests());

    // ---- polling: a second daemon, no webhook, pushes spread over its interval
    const polling = startDaemon(cluster, { repo: remote, workDir: join(dir, 'work-poll'), intervalMs: POLL_INTERVAL_MS });
    const polled: Sample[] = [];
    try {
      await polling.waitFor('the polling daemon to fetch', (e): e is Of<'round'> => e.type === 'round');
      for (let r = 0; r < POLL_SAMPLES; r++) {
        // The daemon sleeps POLL_INTERVAL_MS after each round (the last one wrote the previous
        // status): pushes spread evenly over the interval, for its average with few samples.
        await sleep(((r + 0.5) / POLL_SAMPLES) * POLL_INTERVAL_MS);
        const sample = await pushAndTime(polling, seed, specFile, ns, ++version, fail, undefined, undefined);
        if (!sample) break;
        polled.push(sample);
      }
      const applies = polling.seen.filter((s) => s.event.type === 'apply-start').length;
      if (applies > polled.length) console.log(`  note: the polling daemon applied ${applies} times for ${polled.length} pushes`);
    } finally {
      await polling.close();
    }

    report(samples, polled, firstApplyMs, [load0, loadavg()[0]!]);
  } finally {
    observer.close();
  }
}

// ---------------------------------------------------------------------------- one push

/**
 * Bumps the image on top of the remote's tip (the daemon pushes status commits), commits, pushes,
 * calls `hook` if any, and times the daemon's events for that commit from the end of the push.
 * Undefined (reported through `fail`) when the apply did not succeed.
 */
async function pushAndTime(
  d: Daemon,
  seed: string,
  specFile: string,
  ns: string,
  version: number,
  fail: (message: string) => void,
  observer: ClusterClient | undefined,
  hook: (() => Promise<number>) | undefined,
): Promise<Sample | undefined> {
  await git(seed, 'fetch', '--quiet', 'origin', 'main');
  await git(seed, 'reset', '--quiet', '--hard', 'FETCH_HEAD');
  const image = `${IMAGE}:1.${version}`;
  await writeFile(specFile, appSpec(ns, image));
  await git(seed, 'commit', '--quiet', '-am', `${APP} 1.${version}`);
  const sha = await git(seed, 'rev-parse', 'HEAD');
  const from = d.seen.length;
  const push = await gitRun(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  const pushed = performance.now();
  const hookMs = hook ? await hook() : undefined;

  const started = await d.waitFor(
    `the apply of ${sha.slice(0, 7)} to start`,
    (e): e is Of<'apply-start'> => e.type === 'apply-start' && e.app === APP && e.revision === sha,
    from,
  );
  // The bench's own look at the rollout, from the apply's start: when the Deployment is rolled out
  // as kubemin's readiness rule has it, seen every OBSERVE_MS (the daemon looks every READINESS_POLL_MS).
  const stopObserving = new AbortController();
  const rolledOut = observer ? observeRollout(observer, ns, image, stopObserving.signal) : Promise.resolve(undefined);
  let written: Seen;
  try {
    written = await d.waitFor(
      `the status commit of ${sha.slice(0, 7)}`,
      (e): e is Of<'status-written'> => e.type === 'status-written' && e.app === APP && e.report.commit === sha,
      from,
    );
  } finally {
    stopObserving.abort();
  }
  const rolled = await rolledOut;
  const after = d.seen.slice(from);
  const round = after.find((s) => s.event.type === 'round' && s.event.revision === sha);
  const ended = after.find(
    (s): s is { event: Of<'apply-end'>; t: number } => s.event.type === 'apply-end' && s.event.app === APP && s.event.report.commit === sha,
  );
  if (!checkApplied(d, sha, `apply of ${image}`, fail)) return undefined;
  if (!round || !ended) {
    fail(`kubemin watch: the status of ${sha.slice(0, 7)} was written, but its round or apply-end event is missing`);
    return undefined;
  }
  return {
    pushMs: push.ms,
    hookMs,
    fetched: round.t - pushed,
    started: started.t - pushed,
    applied: ended.t - pushed,
    written: written.t - pushed,
    rolledOut: rolled !== undefined && rolled <= ended.t ? rolled - pushed : undefined,
    phaseMs: ended.event.result.phases.reduce((n, p) => n + p.durationMs, 0),
  };
}

/** When (performance.now()) the Deployment runs `image` on every replica, as kubemin's readiness rule (or kubectl rollout status) has it. */
async function observeRollout(client: ClusterClient, ns: string, image: string, signal: AbortSignal): Promise<number | undefined> {
  while (!signal.aborted) {
    const o = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: APP }).catch(() => undefined);
    if (o && rolledOut(o, image)) return performance.now();
    await sleep(OBSERVE_MS, undefined, { signal }).catch(() => undefined);
  }
  return undefined;
}

function rolledOut(o: K8sObject, image: string): boolean {
  const d = o as unknown as {
    metadata: { generation?: number };
    spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
    status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
  };
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    d.spec?.template?.spec?.containers?.[0]?.image === image &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) >= want &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= want
  );
}

/** True when the daemon's last apply of `sha` succeeded; otherwise its outcome and reasons are reported. */
function checkApplied(d: Daemon, sha: string, what: string, fail: (message: string) => void): boolean {
  const ended = [...d.seen].reverse().find((s) => s.event.type === 'apply-end' && s.event.app === APP && s.event.report.commit === sha)?.event as
    Of<'apply-end'> | undefined;
  if (ended?.result.outcome === 'applied') return true;
  const r = ended?.result;
  fail(
    `kubemin watch, ${what}: ${r ? `${r.outcome}${r.failure ? ` in phase ${r.failure.phase}: ${r.failure.message}` : ''}` : 'no apply-end event'}` +
      `\n  daemon log (end):\n${d.logTail()}`,
  );
  return false;
}

// ---------------------------------------------------------------------------- the table

function report(samples: readonly Sample[], polled: readonly Sample[], firstApplyMs: number | undefined, load: readonly [number, number]): void {
  if (!samples.length) return;
  const stat = (xs: readonly number[]): string[] => (xs.length ? [fmtMs(median(xs)), fmtMs(Math.min(...xs)), fmtMs(Math.max(...xs))] : ['-', '-', '-']);
  const of = (f: (s: Sample) => number | undefined, from: readonly Sample[] = samples): number[] => from.map(f).filter((x): x is number => x !== undefined);
  const rows: string[][] = [
    ['push -> round (webhook, then ls-remote + fetch into the bare clone)', ...stat(of((s) => s.fetched))],
    ['push -> apply-start (+ read the specs at the commit, compile, last status)', ...stat(of((s) => s.started))],
    ['push -> apply-end (applied, Deployment rolled out and ready)', ...stat(of((s) => s.applied))],
    ['push -> status-written (status commit pushed)', ...stat(of((s) => s.written))],
    ['  round -> apply-start: read specs, compile, last status', ...stat(of((s) => s.started - s.fetched))],
    ['  apply-start -> apply-end: apply + wait for the rollout', ...stat(of((s) => s.applied - s.started))],
    ['    apply-start -> rolled out (bench observer, every 25 ms)', ...stat(of((s) => (s.rolledOut !== undefined ? s.rolledOut - s.started : undefined)))],
    ['  apply-end -> status-written: status commit built + pushed', ...stat(of((s) => s.written - s.applied))],
  ];
  if (polled.length) rows.push([`no webhook, polling every ${POLL_INTERVAL_MS / 1000} s: push -> apply-start`, ...stat(of((s) => s.started, polled))]);
  printTable(['from the end of git push to', 'median ms', 'min ms', 'max ms'], rows);
  console.log(`  ${samples.length} pushes with the webhook (after ${WARMUP} warm-up), ${polled.length} without; each a commit bumping the image, pushed`);
  console.log("  from a seeding clone to the bare repo, times from the end of `git push` to the daemon's events (performance.now())");

  const notes: string[] = [];
  const m = (f: (s: Sample) => number | undefined): number => median(of(f));
  const total = m((s) => s.written);
  const parts: Array<[string, number]> = [
    ['webhook + fetch', m((s) => s.fetched)],
    ['read + compile + last status', m((s) => s.started - s.fetched)],
    ['apply + rollout wait', m((s) => s.applied - s.started)],
    ['status commit + push', m((s) => s.written - s.applied)],
  ];
  const pct = (x: number): string => `${Math.round((x / total) * 100)}%`;
  notes.push(
    `of push -> status-written (median ${fmtMs(total)} ms): ` +
      [...parts]
        .sort((a, b) => b[1] - a[1])
        .map(([what, ms]) => `${what} ${fmtMs(ms)} ms (${pct(ms)})`)
        .join(', '),
  );
  const seen = of((s) => (s.rolledOut !== undefined ? s.rolledOut - s.started : undefined));
  if (seen.length) {
    notes.push(
      `the rollout (server-side apply, then the deployment controller, scheduler and KWOK making the new pod Ready, the old one gone) ` +
        `was seen ${fmtMs(median(seen))} ms after apply-start (median of ${seen.length}); kubemin's apply ended ${fmtMs(m((s) => (s.rolledOut !== undefined ? s.applied - s.rolledOut : undefined)))} ms ` +
        `after that (readiness looks every ${READINESS_POLL_MS} ms, then the inventory); the phase itself: median ${fmtMs(m((s) => s.phaseMs))} ms`,
    );
  }
  notes.push(`git push from the seeding clone: median ${fmtMs(m((s) => s.pushMs))} ms; POST /hooks/git answered 202 in median ${fmtMs(m((s) => s.hookMs))} ms`);
  if (polled.length) {
    const started = of((s) => s.started, polled);
    const mean = started.reduce((a, b) => a + b, 0) / started.length;
    notes.push(
      `polling every ${POLL_INTERVAL_MS / 1000} s (no webhook): push -> apply-start mean ${fmtMs(mean)} ms over ${started.length} pushes spread evenly over the interval, ` +
        `${fmtMs(mean - m((s) => s.started))} ms more than with the webhook (half the interval is ${fmtMs(POLL_INTERVAL_MS / 2)} ms); ` +
        `with the default --interval 30s, about 15 s on average`,
    );
  }
  if (firstApplyMs !== undefined)
    notes.push(`startup to the first status commit (clone, fetch, compile, create the app, wait, push the status): ${fmtMs(firstApplyMs)} ms`);
  for (const n of notes) console.log(`  info: ${n}`);
  console.log(
    `  goal: push -> status commit pushed, with the webhook, < ${GOAL_PUSH_TO_STATUS_MS} ms (median): ${fmtMs(total)} ms, ${total < GOAL_PUSH_TO_STATUS_MS ? 'met' : 'NOT met'}`,
  );
  const written = of((s) => s.written);
  recordFigure({
    id: 'watch.push-to-status-written',
    section: 'watch',
    what: 'kubemin watch, webhook: git push -> status commit pushed',
    unit: 'ms',
    value: total,
    min: Math.min(...written),
    max: Math.max(...written),
    runs: written.length,
    load,
    goal: goal(
      `push -> status commit < ${GOAL_PUSH_TO_STATUS_MS} ms (ratio: median / ${GOAL_PUSH_TO_STATUS_MS} ms)`,
      'at-most',
      1,
      total / GOAL_PUSH_TO_STATUS_MS,
    ),
  });
  recordFigure({
    id: 'watch.status-commit',
    section: 'watch',
    what: 'kubemin watch: apply-end -> status commit pushed',
    unit: 'ms',
    value: m((s) => s.written - s.applied),
    runs: written.length,
    load,
  });
  recordFigure({
    id: 'watch.push-to-round',
    section: 'watch',
    what: 'kubemin watch, webhook: git push -> fetched',
    unit: 'ms',
    value: m((s) => s.fetched),
    runs: written.length,
    load,
  });
}

/** Push -> status commit with and without a notification sink that never answers: the ratio should be 1. */
function reportHangingSink(without: readonly Sample[], withSink: readonly Sample[], requests: number): void {
  if (!without.length || !withSink.length) return;
  const a = median(without.map((s) => s.written));
  const b = median(withSink.map((s) => s.written));
  console.log(
    `  notifications: with a sink that never answers (it received ${requests} requests, none answered), push -> status-written median ${fmtMs(b)} ms ` +
      `against ${fmtMs(a)} ms without: ${(b / a).toFixed(2)}x (delivery is in the background; 1.00x is no slowdown)`,
  );
  recordFigure({
    id: 'watch.push-to-status-written.hanging-sink',
    section: 'watch',
    what: 'kubemin watch --notify with a sink that never answers, webhook: git push -> status commit pushed',
    unit: 'ms',
    value: b,
    runs: withSink.length,
    load: [loadavg()[0]!, loadavg()[0]!],
  });
}

/** An HTTP server that reads every request and never answers it. */
async function hangingServer(): Promise<{ url: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const server = createServer((req) => {
    requests++;
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// ---------------------------------------------------------------------------- the daemon

interface Daemon {
  readonly seen: readonly Seen[];
  url(): string | undefined;
  logTail(): string;
  /** The first event after index `from` that matches, waiting at most EVENT_TIMEOUT_MS (then BenchError, with the log). */
  waitFor<T extends WatchEvent>(what: string, match: (e: WatchEvent) => e is T, from?: number): Promise<Seen>;
  close(): Promise<void>;
}

function startDaemon(cluster: TestCluster, overrides: Partial<WatchRunOptions> & { repo: string; workDir: string; intervalMs: number }): Daemon {
  const stop = new AbortController();
  const seen: Seen[] = [];
  const log: string[] = [];
  const wake = new Set<() => void>();
  let url: string | undefined;
  let crashed: Error | undefined;
  const done = watchRepo({
    branch: 'main',
    path: 'apps',
    author: { name: 'kubemin', email: 'kubemin@localhost' },
    auth: {},
    logFormat: 'text',
    drift: 'off',
    prune: true,
    appConcurrency: 1,
    leaderElection: false,
    leaseNamespace: 'unused',
    leaseName: 'kubemin-watch',
    kubeconfig: cluster.kubeconfig,
    pollMs: READINESS_POLL_MS,
    signal: stop.signal,
    write: (line) => {
      log.push(line.trimEnd());
      if (log.length > 200) log.shift();
    },
    onEvent: (event) => {
      seen.push({ event, t: performance.now() });
      for (const w of [...wake]) w();
    },
    onListening: (u) => void (url = u),
    ...overrides,
  }).catch((err: unknown) => {
    crashed = err as Error;
    for (const w of [...wake]) w();
  });
  const logTail = (): string =>
    log
      .slice(-30)
      .map((l) => `    ${l}`)
      .join('\n');
  return {
    seen,
    url: () => url,
    logTail,
    waitFor(what, match, from = 0) {
      return new Promise<Seen>((resolve, reject) => {
        const check = (): boolean => {
          const hit = seen.slice(from).find((s) => match(s.event));
          if (hit) resolve(hit);
          else if (crashed) reject(new BenchError(`kubemin watch stopped while waiting for ${what}: ${crashed.message}\n  daemon log (end):\n${logTail()}`));
          else return false;
          return true;
        };
        if (check()) return;
        const timer = setTimeout(() => {
          wake.delete(onWake);
          reject(new BenchError(`kubemin watch: no sign of ${what} after ${EVENT_TIMEOUT_MS / 1000} s\n  daemon log (end):\n${logTail()}`));
        }, EVENT_TIMEOUT_MS);
        const onWake = (): void => {
          if (!check()) return;
          clearTimeout(timer);
          wake.delete(onWake);
        };
        wake.add(onWake);
      });
    },
    async close() {
      stop.abort();
      await done;
    },
  };
}

// ---------------------------------------------------------------------------- git and the spec

/** The app: one webservice component, 1 replica, in its own namespace. */
function appSpec(ns: string, image: string): string {
  const spec: JsonValue = {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: APP, namespace: ns },
    spec: { components: [{ name: APP, type: 'webservice', image, replicas: 1, ports: [{ port: 8080 }] }] },
  };
  return emitYaml(spec);
}

/** git for the bench's own repositories: no inherited GIT_* variables, no global or system config, never prompting. */
const gitEnv: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k)) env[k] = v;
  return { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
})();

/** Runs git (asynchronously: the daemon shares this process's event loop); BenchError when it fails. */
async function gitRun(cwd: string, ...args: string[]): Promise<{ ms: number; stdout: string }> {
  const r = await runCommand('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], GIT_TIMEOUT_MS, { cwd, env: gitEnv });
  if (r.code !== 0)
    throw new BenchError(`git ${args.join(' ')} (in ${cwd}) ${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}: ${r.stderr.trim().slice(0, 2000)}`);
  return { ms: r.ms, stdout: r.stdout };
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await gitRun(cwd, ...args)).stdout.trim();
}
