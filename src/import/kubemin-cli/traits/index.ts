import { envFrom } from './env-from.js';
import { envs } from './envs.js';
import { ingress } from './ingress.js';
import { init } from './init.js';
import { probes } from './probes.js';
import { rbac } from './rbac.js';
import { resources } from './resources.js';
import { share } from './share.js';
import { sidecar } from './sidecar.js';
import { storage } from './storage.js';
import type { TraitConverter } from './types.js';

/**
 * KubeMin-Cli's traits, in the order it applies them (kubemin's order too). Adding one: a file
 * here, a line in this table, a fixture.
 */
export const traitConverters: readonly TraitConverter[] = [storage, envFrom, envs, resources, probes, rbac, init, sidecar, ingress, share];
