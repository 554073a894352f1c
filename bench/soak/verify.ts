/**
 * What the soak checks at the end: every app's live objects equal its last commit's bundle (the
 * server-side dry-run of `kubemin diff`, and nothing else of kubemin's left in its namespace),
 * every apply has its status commit and none is there twice, memory stayed flat, and no secret
 * value got into a log line or a status report.
 */
import { emitApp } from '../../src/bundle/emit-bundle.js';
import { connect } from '../../src/cluster/http-client.js';
import { refKey, refOf } from '../../src/k8s/object-ref.js';
import { compile, type CompiledApp } from '../../src/compile.js';
import { diffApps } from '../../src/cluster/diff-apps.js';
import { inventoryName } from '../../src/inventory/inventory.js';
import { parseStatusReport, statusPath } from '../../src/watch/status-report.js';
import type { SoakRepo } from './repo.js';
import { DAEMON_EMAIL } from './repo.js';

export interface Expected {
  readonly apps: readonly CompiledApp[];
  readonly digests: ReadonlyMap<string, string>;
}

/** The apps of the remote's main as the daemon compiles them, and their bundle digests. */
export function expectedAt(repo: SoakRepo, rev: string, names: readonly string[]): Expected {
  const files = names.map((n) => ({ path: `apps/${n}/kubemin.yaml`, text: repo.file(rev, `apps/${n}/kubemin.yaml`) ?? '' }));
  const compiled = compile(files);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the soak's own specs do not compile: ${errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('; ')}`);
  return { apps: compiled.apps, digests: new Map(compiled.apps.map((a) => [a.name, emitApp(a).planDocument.digest])) };
}

/** Apps whose status on main is not yet "applied" at the expected bundle: name -> what it says. */
export function notConverged(repo: SoakRepo, expected: Expected): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, digest] of expected.digests) {
    const report = parseStatusReport(repo.file('main', statusPath(name)));
    if (!report) out.set(name, 'no status report');
    else if (report.bundleDigest !== digest) out.set(name, `status is for another bundle (${report.outcome} at ${report.commit.slice(0, 7)})`);
    else if (report.outcome !== 'applied') out.set(name, `${report.outcome}: ${report.lastFailure?.message ?? ''}`);
  }
  return out;
}

export interface LiveCheck {
  readonly objects: number;
  /** Objects the dry-run would change (`Kind ns/name: create|update|delete`), and errors. */
  readonly differences: string[];
  /** Objects of kubemin's in an app's namespace that its bundle does not have. */
  readonly orphans: string[];
}

const KINDS: ReadonlyArray<[string, string]> = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['batch/v1', 'Job'],
];

export async function checkLive(kubeconfig: string, expected: Expected): Promise<LiveCheck> {
  const client = await connect({ kubeconfig });
  try {
    const diffs = await diffApps(expected.apps, client);
    const differences = diffs.flatMap((d) => [
      ...d.objects.filter((o) => o.action !== 'unchanged').map((o) => `${o.ref.kind} ${o.ref.namespace ?? ''}/${o.ref.name}: ${o.action}`),
      ...d.problems.map((p) => `${p.ref.kind} ${p.ref.namespace ?? ''}/${p.ref.name}: ${p.reason} ${p.message}`),
    ]);
    const orphans: string[] = [];
    for (const app of expected.apps) {
      const wanted = new Set(app.phases.flatMap((p) => p.objects.map((o) => refKey(refOf(o.object)))));
      for (const [apiVersion, kind] of KINDS) {
        for (const live of await client.list(apiVersion, kind, { namespace: app.namespace, labelSelector: 'app.kubernetes.io/managed-by=kubemin' })) {
          if (kind === 'ConfigMap' && live.metadata.name === inventoryName(app.name)) continue;
          if (!wanted.has(refKey(refOf(live)))) orphans.push(`${kind} ${app.namespace}/${live.metadata.name}`);
        }
      }
    }
    return { objects: diffs.reduce((n, d) => n + d.objects.length, 0), differences, orphans };
  } finally {
    client.close();
  }
}

export interface StatusCheck {
  /** Applies the daemon logged (each must have exactly one status commit). */
  readonly applies: number;
  readonly statusCommits: number;
  /** Status commit subjects expected from the log but not on main, and on main but not expected. */
  readonly missing: string[];
  readonly unexpected: string[];
  /** A report written twice (the same file content in two commits). */
  readonly duplicated: string[];
}

/** Every `apply <outcome>` the daemon logged has its `kubemin: <app> <outcome> at <sha7>` commit on main, once. */
export function checkStatusCommits(repo: SoakRepo, lines: ReadonlyArray<Record<string, unknown>>): StatusCheck {
  const expected = lines
    .filter((l) => typeof l.msg === 'string' && /^apply (applied|failed|interrupted)$/.test(l.msg))
    .map((l) => `kubemin: ${String(l.app)} ${String(l.msg).slice('apply '.length)} at ${String(l.revision).slice(0, 7)} [skip ci]`);
  const found = repo
    .log()
    .filter((c) => c.email === DAEMON_EMAIL)
    .map((c) => c.subject);
  const missing = without(expected, found);
  const unexpected = without(found, expected);
  const duplicated: string[] = [];
  for (const [path, blobs] of repo.statusBlobs()) {
    const seen = new Map<string, string>();
    for (const entry of blobs) {
      const [sha = '', blob = ''] = entry.split(':');
      if (seen.has(blob)) duplicated.push(`${path} in ${seen.get(blob)!.slice(0, 7)} and ${sha.slice(0, 7)}`);
      seen.set(blob, sha);
    }
  }
  return { applies: expected.length, statusCommits: found.length, missing, unexpected, duplicated };
}

/** `a` minus `b`, as multisets. */
function without(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

export interface RssSummary {
  readonly samples: number;
  readonly firstThirdMedianMiB: number;
  readonly lastThirdMedianMiB: number;
  readonly maxMiB: number;
  /** The median of each tenth of the run, MiB: the trend. */
  readonly tenthsMiB: number[];
}

export function summarizeRss(samples: readonly number[]): RssSummary {
  const mib = samples.map((b) => b / 1024 / 1024);
  const third = Math.max(1, Math.floor(mib.length / 3));
  const tenth = mib.length / 10;
  const tenthsMiB = mib.length >= 10 ? Array.from({ length: 10 }, (_, i) => median(mib.slice(Math.floor(i * tenth), Math.floor((i + 1) * tenth)))) : [];
  return {
    samples: mib.length,
    firstThirdMedianMiB: median(mib.slice(0, third)),
    lastThirdMedianMiB: median(mib.slice(-third)),
    maxMiB: Math.max(0, ...mib),
    tenthsMiB,
  };
}

function median(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Secret values (or their base64) found in `text`: the values themselves, for the report to count, never to print. */
export function leakedSecrets(secrets: Iterable<string>, text: string): number {
  let n = 0;
  for (const s of secrets) if (text.includes(s) || text.includes(Buffer.from(s).toString('base64'))) n++;
  return n;
}
