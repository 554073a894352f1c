import type { ObjectRule } from '../object-rule.js';
import { configData } from './config-data.js';
import { objectMetadata } from './object-metadata.js';
import { objectNames } from './object-names.js';
import { objectSchema } from './object-schema.js';
import { objectSize } from './object-size.js';
import { podSecurity } from './pod-security.js';

/** Checks of every rendered object, as the API server makes them, in this order. */
export const builtinObjectRules: readonly ObjectRule[] = [objectNames, objectSchema, objectMetadata, configData, objectSize, podSecurity];
