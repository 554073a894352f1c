import type { BundleObject, CompiledApp } from '../compile.js';
import { mapBounded } from './bounded.js';
import { autoscaledWorkloads, withReplicas } from './replicas-handover.js';
import { applyIsNoop } from './apply-is-noop.js';
import { LiveObjects } from './live-objects.js';
import { FIELD_MANAGER, serverSideApply, type ServerSideApplyResult } from './server-side-apply.js';
import { ClusterError, type ClusterClient } from './types.js';
import { refKey, refOf, type ObjectRef } from '../k8s/object-ref.js';
import { DEFAULT_OBJECT_CONCURRENCY } from '../defaults.js';
import { inventoryRef } from '../inventory/inventory.js';
import { inventoryRefs, readInventory } from './inventory-store.js';
import type { K8sObject } from '../k8s/types.js';
import { formatSourceRef } from '../load/source.js';
import { maskSecretPair } from '../diff/mask-secrets.js';
import { appRedactor } from '../secrets/register-secrets.js';
import { normalizeObject, withoutUidLabels } from '../diff/normalize.js';
import { unifiedDiff } from '../diff/object-diff.js';
import { phaseLabel } from '../plan/plan-phases.js';
import type { AppDiff, ObjectDiff, ObjectProblem } from '../diff/types.js';

export interface DiffOptions {
  /** Most requests of an app in flight at once (default {@link DEFAULT_OBJECT_CONCURRENCY}). */
  readonly concurrency?: number;
  /** Most apps compared at once (default 16: the client sends at most 16 requests at once anyway, and an app alone rarely has that many in flight). */
  readonly appConcurrency?: number;
  /**
   * The live objects already read, to share with other diffs (the watch daemon's drift round);
   * default: a new one for these apps. Whatever it read before is taken as live: give one only to
   * diffs that nothing was applied between.
   */
  readonly live?: LiveObjects;
}

interface Placed {
  readonly object: K8sObject;
  readonly component: string | null;
  readonly source: string | null;
  readonly phase: string | null;
}

/**
 * Compares each app's bundle with the cluster (`appConcurrency` apps at once; the result in the
 * order of `apps`): the live objects and the inventory read with one LIST per kind and namespace
 * (live-objects.ts), then, for every object an apply could change, a server-side apply dry-run
 * (field manager `kubemin`) and the normalised difference. An object that kubemin applied exactly
 * as the bundle has it is unchanged without a dry-run (apply-is-noop.ts). Objects of the app's
 * inventory that the bundle no longer has are deletes.
 */
export async function diffApps(apps: readonly CompiledApp[], client: ClusterClient, opts: DiffOptions = {}): Promise<AppDiff[]> {
  const concurrency = opts.concurrency ?? DEFAULT_OBJECT_CONCURRENCY;
  const live = opts.live ?? new LiveObjects(client);
  // Every app's live objects are read at once, shared: a kind spread over the apps' namespaces is
  // one LIST across them (live-objects.ts), started before the first app is compared. Each app
  // waits only for the kinds it reads (LiveObjects.get waits for a kind being listed).
  const reading = live.prefetch(
    apps.flatMap((app) => [...placedObjects(app).map((p) => refOf(p.object)), ...inventoryRefs(app)]),
    concurrency,
    { instances: apps.map((a) => a.name) },
  );
  const diffs = await mapBounded(apps, opts.appConcurrency ?? 16, (app) => diffApp(app, client, live, concurrency));
  await reading;
  return diffs;
}

function placedObjects(app: CompiledApp): Placed[] {
  return app.phases.flatMap((p) =>
    p.objects.map((o: BundleObject) => ({
      object: o.object,
      component: o.component ?? null,
      source: formatSourceRef({ file: o.source.file, line: o.source.line }),
      phase: phaseLabel(p),
    })),
  );
}

async function diffApp(app: CompiledApp, client: ClusterClient, live: LiveObjects, concurrency: number): Promise<AppDiff> {
  const placed = placedObjects(app);
  const problems: ObjectProblem[] = [];
  const redactor = appRedactor(app);
  const problem = (p: Omit<Placed, 'object' | 'phase'> & { ref: ObjectRef }, err: unknown): void => {
    const e = err instanceof ClusterError ? err : new ClusterError(p.ref, 'Other', (err as Error)?.message ?? String(err));
    // Refused credentials are about the kubeconfig, not this object: one error, not one per object.
    if (e.reason === 'Unauthorized') throw e;
    problems.push({ ref: p.ref, component: p.component, source: p.source, reason: e.reason, message: redactor.scrubForeign(e.message) });
  };

  // What the cluster has to have before objects can be dry-run: the namespace (a dry-run says
  // when it is missing), and the kinds.
  const namespaceCreated = placed.some((p) => p.object.kind === 'Namespace' && p.object.metadata.name === app.namespace);
  const bundleKinds = kindsDefinedByCrds(placed.map((p) => p.object));
  const scaled = autoscaledWorkloads(placed.map((p) => p.object));

  await live.prefetch([...placed.map((p) => refOf(p.object)), ...inventoryRefs(app)], concurrency);
  let inventory: ObjectRef[] = [];
  try {
    inventory = [...(await readInventory(client, app, { read: (ref) => live.get(ref) })).objects];
  } catch (err) {
    problem({ ref: inventoryRef(app, app.namespace), component: null, source: null }, err);
  }

  // What each object created or deleted is, as the server has or would have it: a created object
  // and a deleted one may turn out to be one object under a new name (pairReplacements).
  const forms = new Map<ObjectDiff, K8sObject>();
  const diffs = await mapBounded(placed, concurrency, async (p): Promise<ObjectDiff | undefined> => {
    const ref = refOf(p.object);
    const base = { ref, component: p.component, source: p.source, phase: p.phase };
    try {
      const created = (note: string | null, object: K8sObject = p.object, form: K8sObject = object): ObjectDiff => {
        const [, shown] = maskSecretPair(undefined, object);
        const d: ObjectDiff = { ...base, action: 'create', diff: unifiedDiff(undefined, shown), note };
        forms.set(d, form);
        return d;
      };
      const info = await client.resourceFor(ref.apiVersion, ref.kind);
      if (!info) {
        if (bundleKinds.has(`${ref.apiVersion}/${ref.kind}`)) return created('its CustomResourceDefinition is created by this bundle first');
        throw new ClusterError(ref, 'UnknownKind', `the cluster does not serve ${ref.kind} in ${ref.apiVersion}: install its CustomResourceDefinition first`);
      }
      const minReplicas = scaled.get(refKey(ref));
      const current = await live.get(ref);
      // Applied by kubemin exactly so: nothing to ask the server (an autoscaled workload's count is the handover's to tell).
      if (current && minReplicas === undefined && applyIsNoop(p.object, current, FIELD_MANAGER)) return { ...base, action: 'unchanged', diff: '', note: null };
      let r: ServerSideApplyResult;
      try {
        r = await serverSideApply(client, p.object, {
          dryRun: true,
          conflicts: 'report',
          live: { object: current },
          ...(minReplicas !== undefined ? { minReplicas } : {}),
        });
      } catch (err) {
        if (!(err instanceof ClusterError) || err.reason !== 'NamespaceNotFound' || !info.namespaced) throw err;
        if (namespaceCreated && ref.namespace === app.namespace) return created(`namespace ${app.namespace} is created by this bundle first`);
        throw new ClusterError(ref, 'NamespaceNotFound', `namespace "${ref.namespace}" does not exist; create it, or set createNamespace: true`);
      }
      const note = r.conflict === undefined ? null : `conflict: ${redactor.scrubForeign(r.conflict)}; apply needs --force-conflicts to take these fields over`;
      if (!r.live) {
        // An autoscaled workload is created at its autoscaler's minReplicas (replicas-handover.ts).
        return created(note, minReplicas !== undefined ? withReplicas(p.object, minReplicas) : p.object, r.result);
      }
      const [before, after] = maskSecretPair(normalizeObject(r.live), normalizeObject(r.result));
      const diff = unifiedDiff(before, after);
      return { ...base, action: diff ? 'update' : 'unchanged', diff, note };
    } catch (err) {
      problem({ ...base, ref }, err);
      return undefined;
    }
  });

  // Objects kubemin applied before that the bundle no longer has.
  const wanted = new Set(placed.map((p) => refKey(refOf(p.object))));
  const gone = inventory.filter((r) => !wanted.has(refKey(r))).sort((a, b) => (refKey(a) < refKey(b) ? -1 : 1));
  await live.prefetch(gone, concurrency);
  const deletes = await mapBounded(gone, concurrency, async (ref): Promise<ObjectDiff | undefined> => {
    try {
      const current = await live.get(ref);
      if (!current) return undefined;
      const [shown] = maskSecretPair(normalizeObject(current), undefined);
      const d: ObjectDiff = {
        ref,
        component: current.metadata.labels?.['app.kubernetes.io/name'] ?? null,
        source: null,
        phase: null,
        action: 'delete',
        diff: unifiedDiff(shown, undefined),
        note: null,
      };
      forms.set(d, current);
      return d;
    } catch (err) {
      problem({ ref, component: null, source: null }, err);
      return undefined;
    }
  });

  return {
    app: app.name,
    ...(app.environment ? { environment: app.environment } : {}),
    namespace: app.namespace,
    objects: pairReplacements(
      [...diffs, ...deletes].filter((d): d is ObjectDiff => d !== undefined),
      forms,
    ),
    problems,
  };
}

/**
 * A created object that takes the place of a deleted one: the same component's only object of a
 * group, kind and namespace created, and its only one deleted (a Job whose template changed is
 * named by its hash). The create then `replaces` the delete, with the diff from the one to the
 * other as the server has them; anything less certain stays a create and a delete.
 */
function pairReplacements(objects: readonly ObjectDiff[], forms: ReadonlyMap<ObjectDiff, K8sObject>): ObjectDiff[] {
  const slot = (o: ObjectDiff): string | undefined =>
    o.component === null ? undefined : JSON.stringify([o.component, o.ref.apiVersion.split('/').slice(0, -1).join('/'), o.ref.kind, o.ref.namespace ?? '']);
  const bySlot = (action: 'create' | 'delete'): Map<string, ObjectDiff[]> => {
    const out = new Map<string, ObjectDiff[]>();
    for (const o of objects) {
      const key = o.action === action ? slot(o) : undefined;
      if (key !== undefined) out.set(key, [...(out.get(key) ?? []), o]);
    }
    return out;
  };
  const deleted = bySlot('delete');
  const replaced = new Map<ObjectDiff, ObjectDiff>();
  const replacing = new Map<ObjectDiff, ObjectDiff>();
  for (const [key, made] of bySlot('create')) {
    const gone = deleted.get(key);
    if (made.length !== 1 || gone?.length !== 1) continue;
    const [before, after] = [forms.get(gone[0]!), forms.get(made[0]!)];
    if (!before || !after) continue;
    const [b, a] = maskSecretPair(withoutUidLabels(normalizeObject(before)), withoutUidLabels(normalizeObject(after)));
    replacing.set(made[0]!, { ...made[0]!, replaces: gone[0]!.ref, diff: unifiedDiff(b, a) });
    replaced.set(gone[0]!, { ...gone[0]!, replacedBy: made[0]!.ref });
  }
  return objects.map((o) => replacing.get(o) ?? replaced.get(o) ?? o);
}

/** `group/version/Kind` of every kind a CustomResourceDefinition of the bundle defines. */
function kindsDefinedByCrds(objects: readonly K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as { group?: string; names?: { kind?: string }; versions?: Array<{ name: string }> } | undefined;
    for (const v of spec?.versions ?? []) out.add(`${spec?.group}/${v.name}/${spec?.names?.kind}`);
  }
  return out;
}
