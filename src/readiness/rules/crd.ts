import { condition } from '../conditions.js';
import { failed, progressing, ready, type ReadinessRule } from '../types.js';

/** Ready when Established (its API is served); names refused by the server are a failure. */
export const customResourceDefinition: ReadinessRule = {
  name: 'customresourcedefinition',
  description: 'Ready when Established (its API is served)',
  kinds: ['apiextensions.k8s.io/CustomResourceDefinition'],
  check(o) {
    const names = condition(o, 'NamesAccepted');
    if (names?.status === 'False') return failed(names.reason ?? 'NamesNotAccepted', names.message ?? 'its names were not accepted');
    return condition(o, 'Established')?.status === 'True' ? ready('established') : progressing('waiting for its API to be established');
  },
};
