/**
 * The differential test's engine: random applications (spec-arbitrary.ts) compiled by kubemin;
 * every object of each one kubemin accepts goes to the API server as a server-side apply dry-run.
 * A refusal is a bug of kubemin (it should have refused the spec, with a place and a fix).
 * Shared by test/parity/api-parity.test.ts (a bounded number of cases) and the bench.
 */
import fc from 'fast-check';
import { compile } from '../../src/compile.js';
import { emitYaml, type JsonValue } from '../../src/bundle/yaml-emit.js';
import { mapBounded } from '../../src/cluster/bounded.js';
import { ClusterError, type ClusterClient } from '../../src/cluster/types.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { formatRef, refOf } from '../../src/k8s/object-ref.js';
import { applicationArbitrary } from './spec-arbitrary.js';

export interface ParityOptions {
  readonly client: ClusterClient;
  /** Where the objects go (it must exist); every generated app uses it. */
  readonly namespace: string;
  readonly cases: number;
  readonly seed: number;
  /** Dry-runs in flight at once. */
  readonly concurrency?: number;
}

/** An object of a spec kubemin accepted, which the API server refused. */
export interface Refusal {
  readonly caseIndex: number;
  readonly object: string;
  readonly message: string;
  /** The spec, to reproduce it (`kubemin render` it, then `kubectl apply --dry-run=server`). */
  readonly spec: string;
}

export interface ParitySummary {
  readonly cases: number;
  /** Specs kubemin compiled without errors: each of their objects was dry-run. */
  readonly accepted: number;
  /** Specs kubemin refused (with at least one error). */
  readonly refused: number;
  readonly objects: number;
  readonly refusals: Refusal[];
  /** How often each diagnostic code refused a spec: which checks the generator reaches. */
  readonly codes: ReadonlyMap<string, number>;
  /** Object kinds dry-run, with counts. */
  readonly kinds: ReadonlyMap<string, number>;
}

export async function runParity(opts: ParityOptions): Promise<ParitySummary> {
  const specs = fc.sample(applicationArbitrary(opts.namespace), { numRuns: opts.cases, seed: opts.seed });
  const codes = new Map<string, number>();
  const kinds = new Map<string, number>();
  const refusals: Refusal[] = [];
  let accepted = 0;
  let objects = 0;
  for (const [caseIndex, spec] of specs.entries()) {
    const text = emitYaml(spec as JsonValue);
    const result = compile([{ path: `case-${caseIndex}/kubemin.yaml`, text }]);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      for (const code of new Set(errors.map((d) => d.code))) codes.set(code, (codes.get(code) ?? 0) + 1);
      continue;
    }
    accepted++;
    const all: K8sObject[] = result.apps.flatMap((a) => a.phases.flatMap((p) => p.objects.map((o) => o.object)));
    objects += all.length;
    for (const o of all) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
    await mapBounded(all, opts.concurrency ?? 8, async (object) => {
      try {
        await opts.client.apply(object, { fieldManager: 'kubemin-parity', force: true, dryRun: true });
      } catch (err) {
        if (!(err instanceof ClusterError) || err.reason === 'Timeout' || err.reason === 'Unavailable') throw err;
        refusals.push({ caseIndex, object: formatRef(refOf(object)), message: err.message, spec: text });
      }
    });
  }
  return { cases: specs.length, accepted, refused: specs.length - accepted, objects, refusals, codes, kinds };
}

/** One paragraph per refusal, with the spec that produced it. */
export function describeRefusals(refusals: readonly Refusal[], max = 5): string {
  const shown = refusals.slice(0, max).map((r) => `case ${r.caseIndex}: ${r.object} refused: ${r.message}\n--- spec:\n${r.spec}`);
  const more = refusals.length > max ? `\n(${refusals.length - max} more)` : '';
  return shown.join('\n\n') + more;
}

/** `accepted 61, refused 59 of 120 specs; 412 objects dry-run`, then the codes and kinds seen. */
export function describeSummary(s: ParitySummary): string {
  const top = (m: ReadonlyMap<string, number>): string =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return (
    `${s.cases} specs: kubemin accepted ${s.accepted} (${pct(s.accepted, s.cases)}) and refused ${s.refused} (${pct(s.refused, s.cases)}); ` +
    `${s.objects} objects dry-run, ${s.refusals.length} refused by the API server\n` +
    `  refusing codes: ${top(s.codes) || 'none'}\n  kinds dry-run: ${top(s.kinds) || 'none'}`
  );
}

function pct(n: number, of: number): string {
  return of ? `${Math.round((n / of) * 100)}%` : '0%';
}
