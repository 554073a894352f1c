import { condition, generationPending } from '../conditions.js';
import { progressing, ready, type ReadinessRule } from '../types.js';

/**
 * Any other kind: when its controller reports observedGeneration, the latest spec must have been
 * seen; then a `Ready` or else `Available` condition, when it has one, must be True; otherwise it
 * is ready when it exists.
 */
export const generic: ReadinessRule = {
  name: 'generic',
  description:
    'Any other kind: the latest spec seen (when observedGeneration is reported), then a Ready or else Available condition True; else ready when it exists',
  kinds: [],
  check(o) {
    if (generationPending(o, { whenReported: true })) return progressing('waiting for its controller to see the new spec');
    const c = condition(o, 'Ready') ?? condition(o, 'Available');
    if (!c) return ready('exists');
    if (c.status === 'True') return ready(`${c.type}`);
    return progressing(`${c.type} is ${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
  },
};
