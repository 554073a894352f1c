import type { StepTypeDef } from '../types.js';
import { deploy } from './deploy.js';
import { gpuPreflight } from './gpu-preflight.js';
import { webhook } from './webhook.js';

/** The built-in workflow step types; the first one is the default `type` of a step. */
export const builtinStepTypes: readonly StepTypeDef[] = [deploy, gpuPreflight, webhook];
