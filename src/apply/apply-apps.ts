import type { CompiledApp } from '../compile.js';
import { type ClusterClient } from '../cluster/types.js';
import { refKey, refOf } from '../k8s/object-ref.js';
import { DEFAULT_APP_CONCURRENCY } from '../defaults.js';
import { applyApp, type ApplyOptions } from './apply-app.js';
import type { AppApplyResult, ApplyEvent } from './types.js';

export interface ApplyAppsOptions {
  /** Each app's client (its cluster). */
  readonly clientOf: (app: CompiledApp) => ClusterClient;
  /** Each app's apply options (its executors); onEvent is ApplyAppsOptions' own. */
  readonly optionsOf: (app: CompiledApp) => Omit<ApplyOptions, 'onEvent'>;
  /** Most apps applied at once (default {@link DEFAULT_APP_CONCURRENCY}). */
  readonly appConcurrency?: number;
  /** Every app's events, app after app in the order of `apps`, whatever order they happen in. */
  readonly onEvent?: (e: ApplyEvent) => void;
}

/**
 * `kubemin apply` of several apps: independent apps at the same time (`appConcurrency`), an app
 * that depends on an earlier one after it (dependsOnEarlier). The events come out as if the apps
 * ran one after another: the first unfinished app's as they happen, the others' held until the
 * apps before them finished. Results in the order of `apps`. An app whose apply throws (refused
 * credentials) does not stop the others; the first such error, in app order, is thrown at the end.
 */
export async function applyApps(apps: readonly CompiledApp[], opts: ApplyAppsOptions): Promise<AppApplyResult[]> {
  const events = orderedEvents(apps.length, opts.onEvent ?? (() => undefined));
  const slots = semaphore(Math.max(1, opts.appConcurrency ?? DEFAULT_APP_CONCURRENCY));
  const footprints = apps.map(footprint);
  const runs: Array<Promise<AppApplyResult>> = [];
  apps.forEach((app, i) => {
    const after = runs.filter((_, j) => opts.clientOf(apps[j]!) === opts.clientOf(app) && dependsOn(footprints[i]!, footprints[j]!));
    runs.push(
      (async () => {
        await Promise.allSettled(after);
        const release = await slots();
        try {
          return await applyApp(app, opts.clientOf(app), { ...opts.optionsOf(app), onEvent: events.emitter(i) });
        } finally {
          release();
          events.finished(i);
        }
      })(),
    );
  });
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<AppApplyResult>).value);
}

/** What an app touches that another app may need first. */
interface Footprint {
  /** Namespaces its objects are in, and the Namespaces it creates. */
  readonly namespaces: Set<string>;
  /** Its cluster-scoped objects (refKey). */
  readonly clusterObjects: Set<string>;
  /** `apiVersion/Kind` of its objects. */
  readonly kinds: Set<string>;
  /** `apiVersion/Kind` its CustomResourceDefinitions define. */
  readonly defines: Set<string>;
}

function footprint(app: CompiledApp): Footprint {
  const f: Footprint = { namespaces: new Set([app.namespace]), clusterObjects: new Set(), kinds: new Set(), defines: new Set() };
  for (const p of app.phases) {
    for (const { object: o } of p.objects) {
      f.kinds.add(`${o.apiVersion}/${o.kind}`);
      if (o.metadata.namespace) f.namespaces.add(o.metadata.namespace);
      else f.clusterObjects.add(refKey(refOf(o)));
      if (o.kind === 'Namespace') f.namespaces.add(o.metadata.name);
      if (o.kind === 'CustomResourceDefinition') {
        const spec = o.spec as { group?: string; names?: { kind?: string }; versions?: Array<{ name: string }> } | undefined;
        for (const v of spec?.versions ?? []) f.defines.add(`${spec?.group}/${v.name}/${spec?.names?.kind}`);
      }
    }
  }
  return f;
}

const meets = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].some((x) => b.has(x));

/** Whether an app must wait for an earlier one: they share a namespace or a cluster-scoped object, or one uses a kind the other defines. */
function dependsOn(app: Footprint, earlier: Footprint): boolean {
  return (
    meets(app.namespaces, earlier.namespaces) ||
    meets(app.clusterObjects, earlier.clusterObjects) ||
    meets(earlier.defines, app.kinds) ||
    meets(app.defines, earlier.kinds)
  );
}

/** A counting semaphore: resolves to a release function once one of `n` slots is free (first come, first served). */
function semaphore(n: number): () => Promise<() => void> {
  let free = n;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return () =>
    new Promise((resolve) => {
      if (free > 0) {
        free--;
        resolve(release);
      } else waiting.push(() => resolve(release));
    });
}

/** Events of `n` producers delivered producer after producer: the first unfinished one's at once, the others' held. */
function orderedEvents(n: number, sink: (e: ApplyEvent) => void): { emitter: (i: number) => (e: ApplyEvent) => void; finished: (i: number) => void } {
  const held: ApplyEvent[][] = Array.from({ length: n }, () => []);
  const done = new Array<boolean>(n).fill(false);
  let current = 0;
  return {
    emitter: (i) => (e) => {
      if (i === current) sink(e);
      else held[i]!.push(e);
    },
    finished: (i) => {
      done[i] = true;
      while (current < n && done[current]) {
        current++;
        if (current < n) for (const e of held[current]!.splice(0)) sink(e);
      }
    },
  };
}
