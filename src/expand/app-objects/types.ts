import type { AppContext, BuiltPod, ComponentContext, PendingDiagnostic } from '../types.js';
import type { ExpandedObject } from '../expand-app.js';

/** A component after expansion: its context, and its pod when its type has one. */
export interface ExpandedComponent {
  readonly ctx: ComponentContext;
  readonly pod: BuiltPod | undefined;
}

interface AppObjectsInput {
  readonly app: AppContext;
  /** In spec order; only those that expanded without a fault. */
  readonly components: readonly ExpandedComponent[];
  /** Every object the components and their traits made. */
  readonly objects: readonly ExpandedObject[];
}

/**
 * Objects made once every component is expanded, from what no single trait can see: the app's
 * other components and their objects (who depends on whom, which Ingress routes where), or the
 * absence of a trait (a default). One file per entry, one line in the table (index.ts).
 */
export interface AppObjectsDef {
  readonly name: string;
  readonly description: string;
  derive(input: AppObjectsInput): { objects: ExpandedObject[]; diagnostics?: PendingDiagnostic[] };
}
