import type { ClusterErrorReason } from '../cluster/types.js';
import { formatRef, type ObjectRef } from '../k8s/object-ref.js';

/** What applying the bundle would do to one object. */
export type DiffAction = 'create' | 'update' | 'unchanged' | 'delete';

export interface ObjectDiff {
  readonly action: DiffAction;
  readonly ref: ObjectRef;
  readonly component: string | null;
  /** `file:line` of the spec part that produced it (none for deletes). */
  readonly source: string | null;
  readonly phase: string | null;
  /** Unified diff hunks of the YAML, secret values masked; empty when unchanged. */
  readonly diff: string;
  /** Something the reader must know, e.g. a conflict with another field manager. */
  readonly note: string | null;
  /**
   * On a create: the object it takes the place of, deleted by the same apply (the component's only
   * object of its kind created and its only one deleted, e.g. a Job named by the hash of its
   * template). `diff` is then from that object to this one.
   */
  readonly replaces?: ObjectRef;
  /** On the delete a create `replaces`: the object that takes its place (shown with it). */
  readonly replacedBy?: ObjectRef;
}

/** An object the diff could not be computed for: the reason and the place it came from. */
export interface ObjectProblem {
  readonly ref: ObjectRef;
  readonly component: string | null;
  readonly source: string | null;
  readonly reason: ClusterErrorReason;
  readonly message: string;
}

export interface AppDiff {
  readonly app: string;
  /** Set for an environment's variant. */
  readonly environment?: string;
  readonly namespace: string;
  readonly objects: readonly ObjectDiff[];
  readonly problems: readonly ObjectProblem[];
}

export interface DiffSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly unchanged: number;
  readonly errors: number;
}

/** The objects a diff shows, each once: not the unchanged, nor a delete shown with the create that replaces it. */
export function shownObjects(app: AppDiff): ObjectDiff[] {
  return app.objects.filter((o) => o.action !== 'unchanged' && !o.replacedBy);
}

/** `create`, `update`, `delete`, or `replaces Job shop/migrate-a08bb707`. */
export function actionLabel(o: ObjectDiff): string {
  return o.replaces ? `replaces ${formatRef(o.replaces)}` : o.action;
}

export function summarize(apps: readonly AppDiff[]): DiffSummary {
  const count = { create: 0, update: 0, delete: 0, unchanged: 0, errors: 0 };
  for (const a of apps) {
    for (const o of a.objects) count[o.action]++;
    count.errors += a.problems.length;
  }
  return count;
}

export function hasChanges(s: DiffSummary): boolean {
  return s.create + s.update + s.delete > 0;
}

/** "2 to create, 1 to update, 1 to delete, 12 unchanged" (and errors, when any). */
export function formatSummary(s: DiffSummary): string {
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.delete} to delete`, `${s.unchanged} unchanged`];
  if (s.errors) parts.push(`${s.errors} error${s.errors === 1 ? '' : 's'}`);
  return parts.join(', ');
}
