import { refKey, type ObjectRef } from '../k8s/object-ref.js';
import type { AppIdentity } from '../environments/app-key.js';
import type { K8sObject } from '../k8s/types.js';
import { MANAGED_BY } from '../expand/labels.js';
import { KubeminError } from '../errors/kubemin-error.js';

/**
 * What kubemin applied for an app, kept in the cluster as a ConfigMap in the app's namespace:
 * the objects that are kubemin's to prune. One per app and environment: `kubemin-inventory-<app>`
 * for an app without environments, `kubemin-inventory-<app>.<env>` for an environment's variant
 * (a dot is in neither name, so they never clash). `kubemin apply` writes it (only with what was
 * really applied); `kubemin diff` reads it.
 */
export interface Inventory {
  readonly app: string;
  /** Set for an environment's variant. */
  readonly environment?: string;
  readonly namespace: string;
  readonly objects: readonly InventoryEntry[];
  /**
   * The name of the inventory this one took over: the app's from before it had environments
   * (`kubemin-inventory-<app>` in the same namespace), deleted once an apply succeeded with this one.
   */
  readonly adopts?: string;
}

/** An object kubemin applied, with the component and the phase (index) it was applied in, to prune in reverse order. */
export interface InventoryEntry extends ObjectRef {
  readonly component?: string;
  readonly phase?: number;
}

/** The entry as one line of the ConfigMap: fixed key order, absent fields left out. */
function entryJson(r: InventoryEntry): string {
  return JSON.stringify({
    apiVersion: r.apiVersion,
    kind: r.kind,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    name: r.name,
    ...(r.component ? { component: r.component } : {}),
    ...(r.phase !== undefined ? { phase: r.phase } : {}),
  });
}

const INVENTORY_KEY = 'objects';
/** The data key naming the inventory this one adopts (Inventory.adopts). */
const ADOPTS_KEY = 'adopts';

/** `kubemin-inventory-<app>`, or `kubemin-inventory-<app>.<env>` for an environment's variant; a string is an app without environments. */
export function inventoryName(app: AppIdentity | string): string {
  const { name, environment } = typeof app === 'string' ? { name: app, environment: undefined } : app;
  return `kubemin-inventory-${name}${environment ? `.${environment}` : ''}`;
}

export function inventoryRef(app: AppIdentity | string, namespace: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: inventoryName(app) };
}

/** The ConfigMap holding an inventory; objects sorted, one JSON object per line, for readable diffs. */
export function encodeInventory(inv: Inventory): K8sObject {
  const objects = [...inv.objects].sort((a, b) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: inventoryName({ name: inv.app, ...(inv.environment ? { environment: inv.environment } : {}) }),
      namespace: inv.namespace,
      labels: { 'app.kubernetes.io/instance': inv.app, 'app.kubernetes.io/managed-by': MANAGED_BY },
    },
    data: {
      ...(inv.adopts ? { [ADOPTS_KEY]: inv.adopts } : {}),
      [INVENTORY_KEY]: objects.map(entryJson).join('\n') + (objects.length ? '\n' : ''),
    },
  };
}

export class InventoryError extends KubeminError {
  override readonly name = 'InventoryError';
}

/** Reads an inventory ConfigMap; a malformed line is an error naming the ConfigMap, never ignored. */
export function decodeInventory(app: string, cm: K8sObject): Inventory {
  const data = (cm.data as Record<string, string> | undefined) ?? {};
  const text = data[INVENTORY_KEY] ?? '';
  const adopts = data[ADOPTS_KEY];
  const objects: InventoryEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let r: Partial<InventoryEntry>;
    try {
      r = JSON.parse(line) as Partial<InventoryEntry>;
    } catch {
      throw new InventoryError(`ConfigMap ${cm.metadata.namespace}/${cm.metadata.name}: line ${i + 1} is not JSON`);
    }
    if (typeof r.apiVersion !== 'string' || typeof r.kind !== 'string' || typeof r.name !== 'string') {
      throw new InventoryError(`ConfigMap ${cm.metadata.namespace}/${cm.metadata.name}: line ${i + 1} lacks apiVersion, kind or name`);
    }
    objects.push({
      apiVersion: r.apiVersion,
      kind: r.kind,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      name: r.name,
      ...(typeof r.component === 'string' ? { component: r.component } : {}),
      ...(typeof r.phase === 'number' ? { phase: r.phase } : {}),
    });
  });
  return { app, namespace: cm.metadata.namespace ?? '', objects, ...(typeof adopts === 'string' && adopts ? { adopts } : {}) };
}
