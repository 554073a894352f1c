import type { TraitDef } from '../types.js';
import { autoscale } from './autoscale.js';
import { disruptionBudget } from './disruption-budget.js';
import { envFrom } from './env-from.js';
import { envs } from './envs.js';
import { ingress } from './ingress.js';
import { init } from './init.js';
import { patches } from './patches.js';
import { lifecycle } from './lifecycle.js';
import { networkPolicy } from './network-policy.js';
import { placement } from './placement.js';
import { pod } from './pod.js';
import { probes } from './probes.js';
import { rbac } from './rbac.js';
import { resources } from './resources.js';
import { securityContext } from './security-context.js';
import { sidecar } from './sidecar.js';
import { storage } from './storage.js';

/**
 * The built-in traits, in the order they are applied (KubeMin-Cli's order, then autoscale).
 * Adding one: a file here, a line in this table, a fixture.
 */
export const builtinTraits: readonly TraitDef[] = [
  storage,
  envFrom,
  envs,
  resources,
  probes,
  securityContext,
  lifecycle,
  rbac,
  init,
  sidecar,
  ingress,
  autoscale,
  placement,
  disruptionBudget,
  networkPolicy,
  pod,
  // Last: it patches the finished objects, whatever the traits before it made.
  patches,
] as readonly TraitDef<never>[] as readonly TraitDef[];
