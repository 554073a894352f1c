import type { ValidationRule } from '../rule.js';
import { containers } from './containers.js';
import { nameLength } from './name-length.js';
import { plainSecret } from './plain-secret.js';
import { ports } from './ports.js';
import { probePorts } from './probe-ports.js';
import { referenceOrder } from './reference-order.js';
import { reservedLabels } from './reserved-labels.js';
import { uniqueNames } from './unique-names.js';
import { workflow } from './workflow.js';

/** Semantic checks run on every schema-valid application, in this order. */
export const builtinRules: readonly ValidationRule[] = [
  uniqueNames,
  workflow,
  referenceOrder,
  nameLength,
  reservedLabels,
  ports,
  containers,
  probePorts,
  plainSecret,
];
