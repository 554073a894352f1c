import type { ValidationRule } from '../rule.js';
import { containers } from './containers.js';
import { disruptionBudgets } from './disruption-budgets.js';
import { environments } from './environments.js';
import { gracePeriod } from './grace-period.js';
import { mountPaths } from './mount-paths.js';
import { nameLength } from './name-length.js';
import { networkPeers } from './network-peers.js';
import { placement } from './placement.js';
import { plainSecret } from './plain-secret.js';
import { ports } from './ports.js';
import { probePorts } from './probe-ports.js';
import { pullSecrets } from './pull-secrets.js';
import { referenceOrder } from './reference-order.js';
import { resourceAmounts } from './resource-amounts.js';
import { reservedLabels } from './reserved-labels.js';
import { uniqueNames } from './unique-names.js';
import { workflow } from './workflow.js';

/**
 * Semantic checks, in this order: on every application, each rule when the parts of it that it
 * reads passed the schema (see ValidationRule.reads).
 */
export const builtinRules: readonly ValidationRule[] = [
  uniqueNames,
  workflow,
  referenceOrder,
  pullSecrets,
  nameLength,
  reservedLabels,
  ports,
  containers,
  probePorts,
  gracePeriod,
  mountPaths,
  resourceAmounts,
  placement,
  disruptionBudgets,
  networkPeers,
  plainSecret,
  environments,
];
