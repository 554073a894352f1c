/**
 * The test cluster (README, "Test cluster") for the bench sections that need one (diff.ts,
 * apply.ts): started once per bench process with the process as a holder, released at the end
 * (also on Ctrl-C): a cluster the bench started is stopped, one started by hand is left running.
 * Also what those sections share: kubectl calls, namespaces to delete at the end, waiting for the
 * machine to calm down, and a client wrapper that sees every request-making call.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mapBounded } from '../src/cluster/bounded.js';
import { connect } from '../src/cluster/http-client.js';
import type { ClusterClient } from '../src/cluster/types.js';
import { countMatches, findOnPath, fmtMs, runCommand, type CommandResult } from './util.js';

/** `up` on a stopped cluster takes about 5 s; an `up` waiting for another's lock may take longer. */
const UP_TIMEOUT_MS = 180_000;
/** One kubectl call (an apply of every object included). */
export const KUBECTL_TIMEOUT_MS = 120_000;
/** After a big apply the controllers react: wait for the CPU to calm down, at most this long... */
const SETTLE_MAX_MS = 20_000;
/** ... "calm" being less than this share of all CPUs busy over one second. */
const SETTLE_BUSY = 0.3;

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const clusterScript = join(repoRoot, 'scripts', 'test-cluster.sh');
export const kubeminBin = join(repoRoot, 'bin', 'kubemin.js');

export interface TestCluster {
  readonly kubectl: string;
  readonly kubeconfig: string;
}

/** What has to be undone at the end of the bench (and on Ctrl-C). */
const pending: { kubectl?: string; kubeconfig?: string; namespaces: Set<string>; holder: boolean } = { namespaces: new Set(), holder: false };
let acquired: Promise<TestCluster | { readonly skipped: string }> | undefined;

/**
 * The test cluster, started (or found running) on the first call, with this process as a holder;
 * later calls get the same one. `{skipped}` says why there is none (no kubectl, binaries not built).
 */
export function testCluster(): Promise<TestCluster | { readonly skipped: string }> {
  acquired ??= start();
  return acquired;
}

async function start(): Promise<TestCluster | { readonly skipped: string }> {
  const kubectl = process.env['KUBECTL'] || findOnPath('kubectl');
  if (!kubectl) return { skipped: 'kubectl not found' };
  const t = performance.now();
  pending.holder = true;
  const up = await runCommand('bash', [clusterScript, 'up', '--no-build'], UP_TIMEOUT_MS, {
    env: { ...process.env, KUBEMIN_TEST_CLUSTER_HOLDER: String(process.pid), KUBECTL: kubectl },
    cwd: repoRoot,
    keepOnAbort: true, // cut short, it could leave a half-started cluster behind
  });
  const kubeconfig = /^KUBECONFIG=(.+)$/.exec(up.stdout.trim().split('\n').pop() ?? '')?.[1];
  if (up.code !== 0 || !kubeconfig) {
    await releaseTestCluster();
    return { skipped: upFailure(up) };
  }
  pending.kubectl = kubectl;
  pending.kubeconfig = kubeconfig;
  const startedHere = /\bstarted in \d+ s\b/.test(up.stderr);
  console.log(
    `  test cluster: ${startedHere ? 'started by the bench' : 'already running'} in ${fmtMs(performance.now() - t)} ms ` +
      `(${kubeconfig}); ${startedHere ? 'stopped' : 'left running'} at the end of the bench`,
  );
  return { kubectl, kubeconfig };
}

function upFailure(up: CommandResult): string {
  if (up.timedOut) return `scripts/test-cluster.sh up did not finish in ${UP_TIMEOUT_MS / 1000} s`;
  const errors = up.stderr
    .split('\n')
    .map((l) => l.replace(/^\[test-cluster\]\s*/, '').trim())
    .filter((l) => l.startsWith('error:'));
  return errors.at(-1)?.replace(/^error:\s*/, '') ?? (up.stderr.trim().split('\n').pop() || `scripts/test-cluster.sh up exited ${up.code ?? up.signal}`);
}

/** Namespaces the bench made: deleted by deleteNamespaces(), or at the end, or on Ctrl-C. */
export function trackNamespaces(names: readonly string[]): void {
  for (const n of names) pending.namespaces.add(n);
}

/**
 * Deletes namespaces without waiting for them to go (the namespace controller empties them), 16
 * at a time with kubemin's client: `kubectl delete namespace` takes about 0.2 s per namespace.
 */
export async function deleteNamespaces(names: readonly string[]): Promise<void> {
  if (!names.length || !pending.kubeconfig) return;
  const t = performance.now();
  let failed: string | undefined;
  try {
    const client = await connect({ kubeconfig: pending.kubeconfig });
    try {
      await mapBounded(names, 16, async (name) => {
        try {
          await client.delete({ apiVersion: 'v1', kind: 'Namespace', name });
        } catch (err) {
          failed ??= `${name}: ${(err as Error).message}`;
        }
      });
    } finally {
      client.close();
    }
  } catch (err) {
    failed ??= (err as Error).message;
  }
  for (const n of names) pending.namespaces.delete(n);
  if (failed) console.error(`warning: deleting the bench namespaces failed (${failed.slice(0, 500)}); they are labelled kubemin.dev/bench`);
  else console.log(`  cleanup: ${names.length} namespaces deleted in ${fmtMs(performance.now() - t)} ms (not waiting for them to go)`);
}

/** The end of the bench: namespaces still there are deleted, and the cluster is released. */
export async function releaseTestCluster(): Promise<void> {
  await deleteNamespaces([...pending.namespaces]);
  if (!pending.holder) return;
  const r = await runCommand('bash', [clusterScript, 'release', String(process.pid)], 60_000, { cwd: repoRoot, keepOnAbort: true });
  pending.holder = false;
  const said = r.stderr
    .replace(/\[test-cluster\]\s*/g, '')
    .trim()
    .split('\n')
    .pop();
  if (r.code !== 0) console.error(`warning: releasing the test cluster failed (npm run cluster:down stops it): ${r.stderr.trim()}`);
  else if (said) console.log(`  test cluster: ${said}`);
}

/** releaseTestCluster(), synchronously, for a signal handler about to exit. */
export function abortTestCluster(): void {
  if (pending.kubectl && pending.kubeconfig && pending.namespaces.size) {
    spawnSync(pending.kubectl, ['--kubeconfig', pending.kubeconfig, 'delete', 'namespace', '--wait=false', '--ignore-not-found', ...pending.namespaces], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    pending.namespaces.clear();
  }
  if (pending.holder) {
    spawnSync('bash', [clusterScript, 'release', String(process.pid)], { stdio: 'ignore', timeout: 60_000 });
    pending.holder = false;
  }
}

/** kubectl against the test cluster, with its discovery cache in `cacheDir`. */
export function kubectlRunner(cluster: TestCluster, cacheDir: string): (args: readonly string[], input?: string, timeoutMs?: number) => Promise<CommandResult> {
  const base = ['--kubeconfig', cluster.kubeconfig, '--cache-dir', cacheDir];
  return (args, input, timeoutMs = KUBECTL_TIMEOUT_MS) => runCommand(cluster.kubectl, [...base, ...args], timeoutMs, input !== undefined ? { input } : {});
}

/**
 * Waits until the machine's CPUs are less than SETTLE_BUSY busy over one second (the controllers
 * have done their work after an apply), at most SETTLE_MAX_MS. Returns how long it waited, or
 * undefined when it gave up (or cannot tell: no /proc/stat).
 */
export async function settle(maxMs = SETTLE_MAX_MS): Promise<number | undefined> {
  const start = performance.now();
  const sample = (): { busy: number; total: number } | undefined => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      const total = fields.reduce((a, b) => a + b, 0);
      const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
      return { busy: total - idle, total };
    } catch {
      return undefined;
    }
  };
  let prev = sample();
  if (!prev) return undefined;
  while (performance.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const cur = sample()!;
    const share = (cur.busy - prev.busy) / Math.max(1, cur.total - prev.total);
    prev = cur;
    if (share < SETTLE_BUSY) return performance.now() - start;
  }
  return undefined;
}

/** `CPU calm after 3,012 ms` or `CPU still busy after 20,000 ms`. */
export function describeSettle(ms: number | undefined): string {
  return `${ms === undefined ? 'CPU still busy' : 'CPU calm'} after ${fmtMs(ms ?? SETTLE_MAX_MS)} ms`;
}

// ---------------------------------------------------------------------------- requests

/** Client methods that send no request of their own (discovery is what `requests` has beyond the calls seen). */
const NO_REQUEST = new Set<PropertyKey>(['resourceFor', 'close', 'forgetDiscovery', 'constructor']);

/**
 * The client, calling `observe(method, args)` when a request-making method is called (get,
 * apply, list, delete); what observe returns, if anything, is called when that call settles.
 */
export function observedClient(client: ClusterClient, observe: (method: string, args: readonly unknown[]) => (() => void) | void): ClusterClient {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (NO_REQUEST.has(prop)) return fn.bind(target);
      return (...args: unknown[]) => {
        const done = observe(String(prop), args);
        const out = fn.apply(target, args);
        if (done && out instanceof Promise) return out.finally(done);
        done?.();
        return out;
      };
    },
  });
}

/** Requests in kubectl's -v=6 log: `GET https://... 200 OK in 3 milliseconds`, or the structured `verb="GET" url=...`. */
export function countKubectlRequests(stderr: string): number {
  const plain = countMatches(stderr, /\] (GET|POST|PUT|PATCH|DELETE|HEAD) https?:\/\/\S+ \d{3}\b/gm);
  return plain || countMatches(stderr, /"Response" verb="[A-Z]+" url="https?:\/\//gm);
}

/** kubectl's stderr without klog lines (`I1124 12:00:00.000000 ...`). */
export function nonLogLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^[IWE]\d{4} /.test(l))
    .join('\n');
}
