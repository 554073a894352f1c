import { defaultDisruptionBudgets } from './default-disruption-budgets.js';
import { networkPolicies } from './network-policies.js';
import type { AppObjectsDef } from './types.js';

/** What is derived from the whole app after its components are expanded, in this order. */
export const appObjects: readonly AppObjectsDef[] = [defaultDisruptionBudgets, networkPolicies];
