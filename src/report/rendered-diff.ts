import { emitYaml, type JsonValue } from '../bundle/yaml-emit.js';
import type { BundleObject, BundlePhase, CompiledApp } from '../compile.js';
import { refKey, refOf, type ObjectRef } from '../k8s/object-ref.js';
import { appKey } from '../environments/app-key.js';
import { maskSecretPair } from '../diff/mask-secrets.js';
import { unifiedDiff } from '../diff/object-diff.js';
import { formatSourceRef } from '../load/source.js';
import { phaseLabel } from '../plan/plan-phases.js';
import { hasObjectChanges, matchPhases, NO_OBJECTS, phasePlanChanges, type ObjectCounts, type PhaseChange } from './phase-changes.js';

/**
 * What a pull request does to one rendered object (unchanged objects are only counted).
 * `replace`: a component's object under a new name (a Job is named by a hash of its template),
 * shown as one change from the old object to the new, counted as an update.
 */
type RenderedAction = 'create' | 'update' | 'delete' | 'replace';

export interface ObjectChange {
  readonly action: RenderedAction;
  readonly ref: ObjectRef;
  /** The head's phase label, the base's for a delete. */
  readonly phase: string;
  readonly component: string | null;
  /** `file:line` in the head's specs, the base's for a delete. */
  readonly source: string;
  /** Where `source` is: its file, relative to the repository root, and line; `base` for a delete. */
  readonly at: { readonly side: 'head' | 'base'; readonly file: string; readonly line: number };
  /** The object a `replace` takes the place of (the base's, under its old name). */
  readonly replaces?: ObjectRef;
  /** Unified diff hunks of the YAML (base → head), secret values masked. */
  readonly diff: string;
}

type AppStatus = 'added' | 'removed' | 'changed' | 'unchanged';

interface RenderedSummary extends ObjectCounts {
  /** Phases in `phases` (the head's and the removed ones) and how many of them changed. */
  readonly phases: number;
  readonly changedPhases: number;
}

/** One application's rendered bundle, base against head. */
export interface AppRenderedDiff {
  readonly app: string;
  /** The environment of an app's variant (absent for an app without environments). */
  readonly environment?: string;
  /** appKey: `<env>/<app>` or `<app>`, what sections, rows and outputs are told apart by. */
  readonly key: string;
  /** The head's namespace, the base's for a removed app. */
  readonly namespace: string;
  readonly status: AppStatus;
  /** The head's phases in order, then the phases the head no longer has. */
  readonly phases: readonly PhaseChange[];
  /** Created and updated objects in the head's apply order, then deleted ones in the base's. */
  readonly objects: readonly ObjectChange[];
  readonly summary: RenderedSummary;
}

/**
 * The rendered bundles of two commits compared, per application and environment (sorted by name,
 * then environment; an app's variant is compared with the same environment's variant). Objects
 * are matched by API group, kind, namespace and name, never by file name: a phase inserted
 * before them renumbers their files without changing them.
 */
export function diffRendered(base: readonly CompiledApp[], head: readonly CompiledApp[]): AppRenderedDiff[] {
  const byKey = (apps: readonly CompiledApp[]) => new Map(apps.map((a) => [appKey(a), a]));
  const [before, after] = [byKey(base), byKey(head)];
  const order = (a: CompiledApp, b: CompiledApp): number => cmp(a.name, b.name) || cmp(a.environment ?? '', b.environment ?? '');
  const keys = [...new Map([...base, ...head].sort(order).map((a) => [appKey(a), a])).keys()];
  return keys.map((key) => diffApp(before.get(key), after.get(key)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Located {
  readonly object: BundleObject;
  readonly phase: BundlePhase;
}

type MutableCounts = { -readonly [K in keyof ObjectCounts]: number };

function diffApp(base: CompiledApp | undefined, head: CompiledApp | undefined): AppRenderedDiff {
  const app = (head ?? base)!;
  const before = locate(base);
  const after = locate(head);
  const { matches, removed } = matchPhases(base?.phases ?? [], head?.phases ?? []);
  const counts = new Map<BundlePhase, MutableCounts>();
  const countIn = (p: BundlePhase): MutableCounts => {
    let c = counts.get(p);
    if (!c) counts.set(p, (c = { ...NO_OBJECTS }));
    return c;
  };
  // A delete counts in the head phase that continues its base phase, when there is one.
  const headOf = new Map(matches.flatMap((m) => (m.base ? [[m.base, m.head] as const] : [])));

  const objects: ObjectChange[] = [];
  for (const [key, h] of after) {
    const b = before.get(key);
    if (b && yamlOf(b.object) === yamlOf(h.object)) {
      countIn(h.phase).unchanged++;
      continue;
    }
    const action = b ? 'update' : 'create';
    countIn(h.phase)[action]++;
    objects.push(change(action, b?.object, h.object, h));
  }
  const gone = [...before].filter(([key]) => !after.has(key)).map(([, b]) => b);
  const replaced = pairReplacements(
    objects.filter((o) => o.action === 'create').map((o) => after.get(refKey(o.ref))!),
    gone,
  );
  for (const [i, o] of objects.entries()) {
    const b = o.action === 'create' ? replaced.get(after.get(refKey(o.ref))!) : undefined;
    if (!b) continue;
    const h = after.get(refKey(o.ref))!;
    countIn(h.phase).create--;
    countIn(h.phase).update++;
    objects[i] = { ...change('replace', b.object, h.object, h), replaces: refOf(b.object.object) };
  }
  const replacedBase = new Set(replaced.values());
  for (const b of gone) {
    if (replacedBase.has(b)) continue;
    countIn(headOf.get(b.phase) ?? b.phase).delete++;
    objects.push(change('delete', b.object, undefined, b));
  }

  const phases: PhaseChange[] = [
    ...matches.map(({ head: h, base: b }): PhaseChange => {
      const c = countIn(h);
      const changes = b ? phasePlanChanges(b, h) : [];
      const status = !b ? 'added' : changes.length || hasObjectChanges(c) ? 'changed' : 'unchanged';
      const previous = b && phaseLabel(b) !== phaseLabel(h) ? phaseLabel(b) : null;
      return { label: phaseLabel(h), previous, status, changed: status !== 'unchanged', changes, objects: h.objects.length, counts: { ...c } };
    }),
    ...removed.map((b): PhaseChange => ({
      label: phaseLabel(b),
      previous: null,
      status: 'removed',
      changed: true,
      changes: [],
      objects: b.objects.length,
      counts: { ...countIn(b) },
    })),
  ];
  const total = { ...NO_OBJECTS } as MutableCounts;
  for (const p of phases) for (const k of ['create', 'update', 'delete', 'unchanged'] as const) total[k] += p.counts[k];
  const changedPhases = phases.filter((p) => p.changed).length;
  const status = !base ? 'added' : !head ? 'removed' : hasObjectChanges(total) || changedPhases || base.namespace !== head.namespace ? 'changed' : 'unchanged';
  return {
    app: app.name,
    ...(app.environment ? { environment: app.environment } : {}),
    key: appKey(app),
    namespace: app.namespace,
    status,
    phases,
    objects,
    summary: { ...total, phases: phases.length, changedPhases },
  };
}

/** Every object of an app by its identity, in apply order. */
function locate(app: CompiledApp | undefined): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const phase of app?.phases ?? []) {
    for (const object of phase.objects) {
      const key = refKey(refOf(object.object));
      if (!out.has(key)) out.set(key, { object, phase });
    }
  }
  return out;
}

/**
 * Created objects that replace deleted ones: the same component's object of the same kind and
 * namespace under a new name, when the component has exactly one such object created and one
 * deleted (a Job whose template changed, named by its hash). Anything less certain stays a
 * create and a delete.
 */
function pairReplacements(created: readonly Located[], deleted: readonly Located[]): Map<Located, Located> {
  const slot = (l: Located): string | undefined => {
    const component = l.object.component;
    if (!component) return undefined;
    const ref = refOf(l.object.object);
    return JSON.stringify([component, ref.apiVersion.split('/').slice(0, -1).join('/'), ref.kind, ref.namespace ?? '']);
  };
  const group = (list: readonly Located[]): Map<string, Located[]> => {
    const out = new Map<string, Located[]>();
    for (const l of list) {
      const key = slot(l);
      if (key !== undefined) out.set(key, [...(out.get(key) ?? []), l]);
    }
    return out;
  };
  const gone = group(deleted);
  const pairs = new Map<Located, Located>();
  for (const [key, made] of group(created)) {
    const old = gone.get(key);
    if (made.length === 1 && old?.length === 1) pairs.set(made[0]!, old[0]!);
  }
  return pairs;
}

function change(action: RenderedAction, before: BundleObject | undefined, after: BundleObject | undefined, at: Located): ObjectChange {
  const [b, a] = maskSecretPair(before?.object, after?.object);
  const { file, line } = at.object.source;
  return {
    action,
    ref: refOf(at.object.object),
    phase: phaseLabel(at.phase),
    component: at.object.component ?? null,
    source: formatSourceRef({ file, line }),
    at: { side: action === 'delete' ? 'base' : 'head', file, line },
    diff: unifiedDiff(b, a),
  };
}

function yamlOf(o: BundleObject): string {
  return emitYaml(o.object as unknown as JsonValue);
}
