import { specOf, statusOf } from '../conditions.js';
import { failed, progressing, ready, type ReadinessRule } from '../types.js';

/**
 * Ready when Bound. A claim of a storage class that binds on first use (WaitForFirstConsumer)
 * does not block: it binds when the pod that uses it is scheduled, in the same phase or later.
 */
export const persistentVolumeClaim: ReadinessRule = {
  name: 'persistentvolumeclaim',
  description: 'Ready when Bound',
  kinds: ['/PersistentVolumeClaim'],
  related(o) {
    const cls = specOf(o).storageClassName as string | undefined;
    return cls ? [{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', fieldSelector: `metadata.name=${cls}` }] : [];
  },
  check(o, [classes = []]) {
    const phase = statusOf(o).phase as string | undefined;
    if (phase === 'Bound') return ready('bound');
    if (phase === 'Lost') return failed('ClaimLost', 'its volume was lost');
    if (classes[0]?.volumeBindingMode === 'WaitForFirstConsumer') {
      return ready('binds when its first pod is scheduled (WaitForFirstConsumer)');
    }
    const cls = specOf(o).storageClassName as string | undefined;
    return progressing(cls ? `waiting for a volume of storage class ${cls}` : 'waiting for a volume (no storage class)');
  },
};
