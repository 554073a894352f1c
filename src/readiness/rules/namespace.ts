import { statusOf } from '../conditions.js';
import { progressing, ready, type ReadinessRule } from '../types.js';

/** Ready when Active; a namespace being deleted cannot take new objects. */
export const namespace: ReadinessRule = {
  name: 'namespace',
  description: 'Ready when Active',
  kinds: ['/Namespace'],
  check(o) {
    const phase = statusOf(o).phase as string | undefined;
    if (phase === 'Terminating') return progressing('the namespace is being deleted; objects cannot be created in it until it is gone');
    return phase === 'Active' || phase === undefined ? ready('active') : progressing(`phase ${phase}`);
  },
};
