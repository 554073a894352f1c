import { FIELD_MANAGER } from '../cluster/server-side-apply.js';
import type { ClusterClient } from '../cluster/types.js';
import { decodeInventory, encodeInventory, inventoryRef, type Inventory } from './inventory.js';

/** The app's inventory in the cluster; empty when there is none yet (or its namespace does not exist). */
export async function readInventory(client: ClusterClient, app: string, namespace: string): Promise<Inventory> {
  const cm = await client.get(inventoryRef(app, namespace)).catch((err: unknown) => {
    if ((err as { reason?: string }).reason === 'NamespaceNotFound') return undefined;
    throw err;
  });
  return cm ? decodeInventory(app, cm) : { app, namespace, objects: [] };
}

/** Writes the inventory (server-side apply as kubemin; the ConfigMap is kubemin's own, so conflicts are forced). */
export async function writeInventory(client: ClusterClient, inventory: Inventory): Promise<void> {
  await client.apply(encodeInventory(inventory), { fieldManager: FIELD_MANAGER, force: true, dryRun: false });
}
