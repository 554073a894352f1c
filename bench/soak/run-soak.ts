/**
 * The soak: `kubemin watch` (a child process, as deployed) follows a real git repository of
 * `apps` applications on a test cluster of its own while commits land with random changes, and
 * faults are injected: the API server restarts, the git remote is unreachable for a while, the
 * daemon's status pushes are refused several times. At the end it checks what verify.ts says.
 * Shared by test/watch/soak.test.ts (30 commits) and `npm run bench -- soak` (a duration).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon } from './daemon-process.js';
import { startPrivateCluster } from '../../test/cluster/private-cluster.js';
import { SoakRepo } from './repo.js';
import { seededRandom, SoakScenario } from './scenario.js';
import {
  checkLive,
  checkStatusCommits,
  expectedAt,
  leakedSecrets,
  notConverged,
  summarizeRss,
  type LiveCheck,
  type RssSummary,
  type StatusCheck,
} from './verify.js';

export interface SoakOptions {
  readonly repoRoot: string;
  /** An empty temporary directory (the cluster's state, the repositories). */
  readonly root: string;
  readonly apps: number;
  readonly seed: number;
  /** Commits after the first: this many, or as many as fit in `durationMs`. */
  readonly commits?: number;
  readonly durationMs?: number;
  /** How kubemin is run: the argv before `watch` (`node bin/kubemin.js`). */
  readonly kubemin: readonly string[];
  /** Every this many commits, each fault once (default 12). */
  readonly faultCycle?: number;
  /** The daemon's --interval (also its drift checks). */
  readonly interval?: string;
  /** How long the daemon may take to converge after the last commit. */
  readonly convergeTimeoutMs?: number;
  readonly progress?: (line: string) => void;
}

export interface SoakReport {
  readonly seed: number;
  readonly commits: number;
  readonly durationMs: number;
  readonly faults: { readonly apiServerRestarts: number; readonly remoteOutages: number; readonly pushRefusalsPlanned: number; readonly pushRefusals: number };
  /** What the daemon logged about the faults. */
  readonly logged: { readonly fetchFailures: number; readonly statusPushFailures: number; readonly retries: number; readonly applies: Record<string, number> };
  /** Apps not applied at their last commit's bundle when the soak gave up waiting (empty: converged). */
  readonly notConverged: ReadonlyMap<string, string>;
  readonly convergedAfterMs: number;
  readonly live: LiveCheck;
  readonly status: StatusCheck;
  readonly rss: RssSummary;
  /** How many secret values (plain or base64) the daemon's output, and the status history, hold. */
  readonly secretsInLogs: number;
  readonly secretsInStatus: number;
  readonly secretsUsed: number;
  readonly daemonExit: number | null;
  /** The end of the daemon's log, for a failure message. */
  readonly logTail: string;
}

/** Faults come round every `faultCycle` commits (default), a quarter, half and three quarters into it. */
const FAULT_CYCLE = 12;
/** Refusals in a row: more than the daemon's 5 push attempts, so one round's reports wait for the next. */
const REFUSALS = 7;
const OUTAGE_MS = 5_000;
const OUTAGE_MAX_MS = 90_000;

/** How long the soak waits for the daemon to take a commit up before landing the next anyway. */
const TAKE_UP_MS = 60_000;

/** Until the daemon logged a new revision fetched after `since` (which holds everything pushed before it). */
async function seen(lines: () => ReadonlyArray<Record<string, unknown>>, since: number): Promise<void> {
  const end = Date.now() + TAKE_UP_MS;
  while (Date.now() < end && !lines().some((l) => l.msg === 'new revision' && Date.parse(String(l.time)) >= since)) await sleep(100);
}

const fetchFailures = (lines: ReadonlyArray<Record<string, unknown>>): number => lines.filter((l) => l.msg === 'fetch failed').length;

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const say = opts.progress ?? (() => undefined);
  const started = Date.now();
  mkdirSync(opts.root, { recursive: true });
  const cluster = await startPrivateCluster(opts.repoRoot, join(opts.root, 'cluster'));
  try {
    const repo = new SoakRepo(opts.root);
    const scenario = new SoakScenario(opts.seed, opts.apps);
    const pace = seededRandom(opts.seed ^ 0x5eed);
    const first = scenario.initial();
    repo.commit(first.message, first.files);
    mkdirSync(join(opts.root, 'daemon'));
    const daemon = startDaemon(
      [
        ...opts.kubemin,
        'watch',
        '--repo',
        repo.remote,
        '--branch',
        'main',
        '--path',
        'apps',
        '--work-dir',
        join(opts.root, 'daemon', 'clone'),
        '--kubeconfig',
        cluster.kubeconfig,
        '--interval',
        opts.interval ?? '2s',
        '--poll-interval',
        '250ms',
        '--log-format',
        'json',
        '--app-concurrency',
        '4',
      ],
      { cwd: opts.repoRoot },
    );
    let stopped = false;
    try {
      say(`soak: seed ${opts.seed}, ${opts.apps} apps, daemon pid ${daemon.child.pid}`);
      const faults = { apiServerRestarts: 0, remoteOutages: 0, pushRefusalsPlanned: 0, pushRefusals: 0 };
      const refusals: Array<() => number> = [];
      let restarting: Promise<void> = Promise.resolve();
      const more = (n: number): boolean => (opts.commits !== undefined ? n < opts.commits : Date.now() - started < (opts.durationMs ?? 0));
      const cycle = opts.faultCycle ?? FAULT_CYCLE;
      const at = { restart: Math.ceil(cycle / 4), outage: Math.ceil(cycle / 2), refuse: Math.ceil((cycle * 3) / 4) };
      let n = 0;
      while (more(n)) {
        n++;
        const plan = n === opts.commits ? scenario.fixAll() : scenario.next();
        const pushedAt = Date.now();
        repo.commit(plan.message, plan.files);
        say(plan.message);
        // The next commit lands once the daemon has taken this one up (while it applies it), or after a while.
        await seen(daemon.lines, pushedAt);
        switch (n % cycle) {
          case at.restart:
            await restarting;
            say('fault: restarting the API server');
            faults.apiServerRestarts++;
            restarting = cluster.restartApiServer(); // the commits go on meanwhile
            break;
          case at.outage:
            await restarting;
            faults.remoteOutages++;
            repo.takeAway();
            {
              // At least OUTAGE_MS, and until the daemon has failed to fetch twice (it may be busy applying).
              const from = Date.now();
              const failures = fetchFailures(daemon.lines());
              while (Date.now() - from < OUTAGE_MS || (fetchFailures(daemon.lines()) < failures + 2 && Date.now() - from < OUTAGE_MAX_MS)) await sleep(250);
              say(`fault: the git remote was unreachable for ${((Date.now() - from) / 1000).toFixed(1)} s`);
            }
            repo.back();
            break;
          case at.refuse:
            say(`fault: the next ${REFUSALS} status pushes are refused`);
            faults.pushRefusalsPlanned += REFUSALS;
            refusals.push(repo.refuseStatusPushes(REFUSALS));
            break;
          default:
        }
        await sleep(Math.floor(pace() * 1500));
      }
      await restarting;
      if (opts.commits === undefined) {
        const last = scenario.fixAll();
        repo.commit(last.message, last.files);
        n++;
      }

      const expected = expectedAt(repo, 'main', scenario.names);
      const waitStart = Date.now();
      let left = notConverged(repo, expected);
      while (left.size && Date.now() - waitStart < (opts.convergeTimeoutMs ?? 180_000)) {
        await sleep(500);
        left = notConverged(repo, expected);
      }
      const convergedAfterMs = Date.now() - waitStart;
      say(left.size ? `soak: ${left.size} apps not converged after ${convergedAfterMs} ms` : `soak: converged ${convergedAfterMs} ms after the last commit`);
      faults.pushRefusals = refusals.reduce((sum, r) => sum + r(), 0);
      repo.acceptPushes();
      const daemonExit = await daemon.stop();
      stopped = true;

      const lines = daemon.lines();
      const count = (re: RegExp) => lines.filter((l) => typeof l.msg === 'string' && re.test(l.msg)).length;
      const applies: Record<string, number> = {};
      for (const l of lines)
        if (typeof l.msg === 'string' && l.msg.startsWith('apply ') && l.msg !== 'apply could not run; trying again next round')
          applies[l.msg.slice(6)] = (applies[l.msg.slice(6)] ?? 0) + 1;
      const text = daemon.text();
      writeFileSync(join(opts.root, 'daemon.log'), text);
      return {
        seed: opts.seed,
        commits: n,
        durationMs: Date.now() - started,
        faults,
        logged: {
          fetchFailures: fetchFailures(lines),
          statusPushFailures: count(/^status report not written/),
          retries: lines.filter((l) => l.trigger === 'retry' && l.msg === 'applying').length,
          applies,
        },
        notConverged: left,
        convergedAfterMs,
        live: await checkLive(cluster.kubeconfig, expected),
        status: checkStatusCommits(repo, lines),
        rss: summarizeRss(daemon.rss),
        secretsInLogs: leakedSecrets(scenario.secrets, text),
        secretsInStatus: leakedSecrets(scenario.secrets, repo.statusHistory()),
        secretsUsed: scenario.secrets.size,
        daemonExit,
        logTail: text.slice(-30_000),
      };
    } finally {
      if (!stopped) await daemon.stop(5_000);
    }
  } finally {
    await cluster.down();
  }
}
