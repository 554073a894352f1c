import { refKey, formatRef } from '../k8s/object-ref.js';
import { actionLabel, formatSummary, summarize, type AppDiff } from '../diff/types.js';

/** What applying would do to one object, as `kubemin diff` says it: action in words, the diff (secret values masked). */
export interface LiveObject {
  /** `create`, `update`, `unchanged`, `delete`, or `replaces Job ns/name`. */
  readonly action: string;
  readonly changed: boolean;
  /** `Kind namespace/name`. */
  readonly ref: string;
  readonly diff: string;
  readonly note: string | null;
}

/** An app's live diff for the page. */
export interface LiveApp {
  /** "1 to create, 2 to update, 0 to delete, 5 unchanged". */
  readonly summary: string;
  /** By the object's key (`refKey` of apiVersion, kind, namespace, name). */
  readonly objects: ReadonlyMap<string, LiveObject>;
  /** Objects applied before that the bundle no longer has (shown with nothing to replace them). */
  readonly deletes: readonly LiveObject[];
  /** Objects the diff could not be computed for: `Kind ns/name: message`. */
  readonly problems: readonly string[];
}

export function liveApp(diff: AppDiff, scrub: (text: string) => string): LiveApp {
  const objects = new Map<string, LiveObject>();
  const deletes: LiveObject[] = [];
  for (const o of diff.objects) {
    const live = {
      action: scrub(actionLabel(o)),
      changed: o.action !== 'unchanged',
      ref: scrub(formatRef(o.ref)),
      diff: scrub(o.diff),
      note: o.note === null ? null : scrub(o.note),
    };
    if (o.action === 'delete') {
      if (!o.replacedBy) deletes.push(live);
    } else objects.set(refKey(o.ref), live);
  }
  const problems = diff.problems.map((p) => scrub(`${formatRef(p.ref)}: ${p.message}`));
  return { summary: formatSummary(summarize([diff])), objects, deletes, problems };
}
