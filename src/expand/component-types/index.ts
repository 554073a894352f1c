import type { ComponentTypeDef } from '../types.js';
import { config } from './config.js';
import { cronjob } from './cronjob.js';
import { job } from './job.js';
import { k8sObjects } from './k8s-objects.js';
import { secret } from './secret.js';
import { store } from './store.js';
import { webservice } from './webservice.js';
import { worker } from './worker.js';

/** The built-in component types. Adding one: a file here, a line in this table, a fixture. */
export const builtinComponentTypes: readonly ComponentTypeDef[] = [webservice, worker, store, job, cronjob, config, secret, k8sObjects];
