import { DEFAULT_GRACE_PERIOD_SECONDS, type PodTraitSpec } from '../../expand/traits/pod.js';
import type { LifecycleSpec } from '../../expand/traits/lifecycle.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { containersOf } from '../../spec/walk.js';
import type { ValidationRule } from '../rule.js';

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
      const set = (c.traits?.pod as PodTraitSpec | undefined)?.terminationGracePeriodSeconds;
      const grace = set ?? DEFAULT_GRACE_PERIOD_SECONDS;
      for (const container of containersOf(c, pointer, ctx.tables.traits)) {
        const sleep = (container.traits?.lifecycle as LifecycleSpec | undefined)?.preStop?.sleepSeconds;
        if (sleep === undefined || sleep < grace) continue;
        out.push({
          severity: 'error',
          code: 'prestop-exceeds-grace',
          message: `the preStop hook of container "${container.name}" sleeps ${sleep} s, but the pod is killed ${grace} s after its stop begins (terminationGracePeriodSeconds${set === undefined ? ', the default' : ''}): the application would never get its stop signal in time`,
          hint: `set traits.pod.terminationGracePeriodSeconds to more than ${sleep} (the sleep plus the time the application needs to finish), or sleep less`,
          pointer: joinPointer(container.pointer, 'traits', 'lifecycle', 'preStop', 'sleepSeconds'),
          ...(set !== undefined
            ? { related: [{ message: 'the grace period', pointer: joinPointer(pointer, 'traits', 'pod', 'terminationGracePeriodSeconds') }] }
            : {}),
        });
      }
    });
    return out;
  },
};
