import { FIELD_MANAGER } from '../cluster/server-side-apply.js';
import type { ClusterClient } from '../cluster/types.js';
import type { K8sObject } from '../k8s/types.js';
import { decodeInventory, inventoryRef, type Inventory } from './inventory.js';

/** The app's inventory in the cluster; empty when there is none yet (or its namespace does not exist). */
export async function readInventory(client: ClusterClient, app: string, namespace: string): Promise<Inventory> {
  const cm = await client.get(inventoryRef(app, namespace)).catch((err: unknown) => {
    if ((err as { reason?: string }).reason === 'NamespaceNotFound') return undefined;
    throw err;
  });
  return cm ? decodeInventory(app, cm) : { app, namespace, objects: [] };
}

/** Writes an inventory's ConfigMap (encodeInventory) by server-side apply as kubemin; it is kubemin's own, so conflicts are forced. */
export async function writeInventory(client: ClusterClient, configMap: K8sObject): Promise<void> {
  await client.apply(configMap, { fieldManager: FIELD_MANAGER, force: true, dryRun: false });
}
