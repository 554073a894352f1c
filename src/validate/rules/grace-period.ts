import { DEFAULT_GRACE_PERIOD_SECONDS } from '../../expand/traits/pod.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import { containersOf } from '../../spec/walk.js';
import { fromTraits, type ValidationRule } from '../rule.js';

/**
 * A preStop sleep ends within the pod's grace period: the period counts from the start of the
 * hook, and when it is over the container is killed (2 s later), so a sleep as long as the period
 * means the application never gets its stop signal in time to finish its requests.
 */
export const gracePeriod: ValidationRule = {
  name: 'grace-period',
  description: "A preStop sleep (trait lifecycle) is shorter than the pod's terminationGracePeriodSeconds (trait pod, default 30).",
  reads: ['/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const pointer = `/spec/components/${i}`;
      // The grace period a trait of the pod sets (TraitDef.gracePeriodSeconds), and every trait's preStop sleeps (preStopSeconds).
      const [set] = fromTraits({ traits: c.traits, pointer }, ctx.tables.traits, 'gracePeriodSeconds');
      const grace = set?.seconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
      for (const container of containersOf(c, pointer, ctx.tables.traits)) {
        for (const { seconds: sleep, pointer: at } of fromTraits(container, ctx.tables.traits, 'preStopSeconds')) {
          if (sleep < grace) continue;
          out.push({
            severity: 'error',
            code: 'prestop-exceeds-grace',
            message: `the preStop hook of container "${container.name}" sleeps ${sleep} s, but the pod is killed ${grace} s after its stop begins (terminationGracePeriodSeconds${set === undefined ? ', the default' : ''}): the application would never get its stop signal in time`,
            hint: `set traits.pod.terminationGracePeriodSeconds to more than ${sleep} (the sleep plus the time the application needs to finish), or sleep less`,
            pointer: at,
            ...(set !== undefined ? { related: [{ message: 'the grace period', pointer: set.pointer }] } : {}),
          });
        }
      }
    });
    return out;
  },
};
