import type { BundlePhase } from '../compile.js';
import { phaseLabel } from '../plan/plan-phases.js';

/** How many objects a change creates, updates, deletes and leaves as they are. */
export interface ObjectCounts {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly unchanged: number;
}

type PhaseStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** One phase of the head bundle (or one the head no longer has), compared with the base. */
export interface PhaseChange {
  /** `03-app`: the head's label, the base's for a removed phase. */
  readonly label: string;
  /** The base's label when the phase was matched to one with another label (renumbered or renamed). */
  readonly previous: string | null;
  readonly status: PhaseStatus;
  /** Objects created, updated or deleted in it, or the phase is new, removed, renamed or planned differently. */
  readonly changed: boolean;
  /** What changed about the phase itself: `renamed from 02-data`, `timeout 5m → 10m`, ... (not renumbering). */
  readonly changes: readonly string[];
  /** Objects in the phase (the base's for a removed phase). */
  readonly objects: number;
  readonly counts: ObjectCounts;
}

/** A head phase and the base phase it continues, if any. */
export interface PhaseMatch {
  readonly head: BundlePhase;
  readonly base: BundlePhase | undefined;
}

/**
 * Pairs head phases with base phases: by name first, then a head phase left over takes the base
 * phase left over that shares the most components with it (a rename, or a `dependsOn` layer named
 * after its components that gained one). Phase numbers play no part: inserting a step renumbers
 * the phases after it without changing them.
 */
export function matchPhases(base: readonly BundlePhase[], head: readonly BundlePhase[]): { matches: PhaseMatch[]; removed: BundlePhase[] } {
  const unused = new Set(base);
  const byName = new Map<string, BundlePhase>();
  for (const b of base) if (!byName.has(b.name)) byName.set(b.name, b);
  const found = new Map<BundlePhase, BundlePhase>();
  for (const h of head) {
    const b = byName.get(h.name);
    if (b && unused.has(b)) {
      found.set(h, b);
      unused.delete(b);
    }
  }
  for (const h of head) {
    if (found.has(h)) continue;
    let best: BundlePhase | undefined;
    let bestShared = 0;
    for (const b of base) {
      if (!unused.has(b) || b.stepType !== h.stepType) continue;
      const shared = b.components.filter((c) => h.components.includes(c)).length;
      if (shared > bestShared) {
        best = b;
        bestShared = shared;
      }
    }
    if (best) {
      found.set(h, best);
      unused.delete(best);
    }
  }
  return { matches: head.map((h) => ({ head: h, base: found.get(h) })), removed: base.filter((b) => unused.has(b)) };
}

/** What changed about a phase's plan (not its objects). */
export function phasePlanChanges(base: BundlePhase, head: BundlePhase): string[] {
  const out: string[] = [];
  if (base.name !== head.name) out.push(`renamed from ${phaseLabel(base)}`);
  if (base.stepType !== head.stepType) out.push(`type ${base.stepType} → ${head.stepType}`);
  if (base.mode !== head.mode) out.push(`mode ${base.mode} → ${head.mode}`);
  if (base.timeout !== head.timeout) out.push(`timeout ${base.timeout} → ${head.timeout}`);
  if (base.retries !== head.retries) out.push(`retries ${base.retries} → ${head.retries}`);
  const added = head.components.filter((c) => !base.components.includes(c));
  const gone = base.components.filter((c) => !head.components.includes(c));
  if (added.length || gone.length) out.push(`components ${[...added.map((c) => `+${c}`), ...gone.map((c) => `-${c}`)].join(' ')}`);
  if (JSON.stringify(base.params ?? null) !== JSON.stringify(head.params ?? null)) out.push('parameters changed');
  return out;
}

export function hasObjectChanges(c: ObjectCounts): boolean {
  return c.create + c.update + c.delete > 0;
}

export const NO_OBJECTS: ObjectCounts = { create: 0, update: 0, delete: 0, unchanged: 0 };
