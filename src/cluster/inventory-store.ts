import { FIELD_MANAGER } from './server-side-apply.js';
import type { ClusterClient } from './types.js';
import type { ObjectRef } from '../k8s/object-ref.js';
import type { AppIdentity } from '../environments/app-key.js';
import type { K8sObject } from '../k8s/types.js';
import { decodeInventory, inventoryName, inventoryRef, type Inventory } from '../inventory/inventory.js';

/** Whose inventory: an app (or an environment's variant) in its namespace. */
export interface InventoryOwner extends AppIdentity {
  readonly namespace: string;
}

export interface StoredInventory extends Inventory {
  /** Whether the owner's own ConfigMap exists (an adopted inventory is not written yet under its new name). */
  readonly stored: boolean;
}

/**
 * The app's inventory in the cluster; empty when there is none yet (or its namespace does not
 * exist). An environment's variant without one of its own takes over the inventory of the app from
 * before it had environments, `kubemin-inventory-<app>` in the same namespace, when there is one:
 * its objects are the variant's to keep or prune, and `adopts` names it, to be deleted once an
 * apply with the new one succeeded (apply-app.ts).
 */
export async function readInventory(client: ClusterClient, owner: InventoryOwner, opts: ReadInventoryOptions = {}): Promise<StoredInventory> {
  const identity = { app: owner.name, ...(owner.environment ? { environment: owner.environment } : {}) };
  const read = opts.read ?? ((ref: ObjectRef) => client.get(ref));
  const own = await getInventory(read, owner, owner.namespace);
  if (own) return { ...decodeInventory(owner.name, own), ...identity, stored: true };
  if (owner.environment) {
    const before = await getInventory(read, owner.name, owner.namespace);
    if (before) return { ...decodeInventory(owner.name, before), ...identity, adopts: inventoryName(owner.name), stored: false };
  }
  return { ...identity, namespace: owner.namespace, objects: [], stored: false };
}

/** The ConfigMaps an owner's inventory may be read from (readInventory): its own, and the one from before it had environments. */
export function inventoryRefs(owner: InventoryOwner): ObjectRef[] {
  return [inventoryRef(owner, owner.namespace), ...(owner.environment ? [inventoryRef(owner.name, owner.namespace)] : [])];
}

export interface ReadInventoryOptions {
  /** Reads a ConfigMap (default: a GET; e.g. LiveObjects.get, from a LIST of the namespace's ConfigMaps). */
  readonly read?: (ref: ObjectRef) => Promise<K8sObject | undefined>;
}

async function getInventory(
  read: (ref: ObjectRef) => Promise<K8sObject | undefined>,
  app: AppIdentity | string,
  namespace: string,
): Promise<K8sObject | undefined> {
  return read(inventoryRef(app, namespace)).catch((err: unknown) => {
    if ((err as { reason?: string }).reason === 'NamespaceNotFound') return undefined;
    throw err;
  });
}

/** Writes an inventory's ConfigMap (encodeInventory) by server-side apply as kubemin; it is kubemin's own, so conflicts are forced. */
export async function writeInventory(client: ClusterClient, configMap: K8sObject): Promise<void> {
  await client.apply(configMap, { fieldManager: FIELD_MANAGER, force: true, dryRun: false });
}

/** Deletes the inventory an adopting one took over (Inventory.adopts); false when it was gone already. */
export async function deleteAdopted(client: ClusterClient, inventory: Pick<Inventory, 'adopts' | 'namespace'>): Promise<boolean> {
  if (!inventory.adopts) return false;
  return client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: inventory.namespace, name: inventory.adopts });
}
