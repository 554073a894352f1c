import type { K8sObject } from '../k8s/types.js';
import { customResourceDefinition } from './rules/crd.js';
import { daemonSet } from './rules/daemonset.js';
import { deployment } from './rules/deployment.js';
import { exists } from './rules/exists.js';
import { generic } from './rules/generic.js';
import { job } from './rules/job.js';
import { namespace } from './rules/namespace.js';
import { persistentVolumeClaim } from './rules/pvc.js';
import { serviceAndIngress } from './rules/service.js';
import { statefulSet } from './rules/statefulset.js';
import type { ReadinessRule } from './types.js';

/** The readiness rules, one per file; a kind not listed in any gets `generic`. */
export const builtinReadinessRules: readonly ReadinessRule[] = [
  deployment,
  statefulSet,
  daemonSet,
  job,
  persistentVolumeClaim,
  serviceAndIngress,
  customResourceDefinition,
  namespace,
  exists,
];

/** `group/Kind` of an object: `apps/Deployment`, `/Service` (the core group is empty). */
function groupKind(o: Pick<K8sObject, 'apiVersion' | 'kind'>): string {
  const slash = o.apiVersion.indexOf('/');
  return `${slash < 0 ? '' : o.apiVersion.slice(0, slash)}/${o.kind}`;
}

/** `group/Kind`: a group (empty for the core group, else a DNS name), a slash, a kind. */
export const GROUP_KIND = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?\/[A-Z][A-Za-z0-9]*$/;

/**
 * Looks rules up by group and kind; a kind no rule claims gets `generic`. Two rules claiming one
 * kind are an error (the plugin set refuses them earlier, naming both plugins).
 */
export function readinessTable(rules: readonly ReadinessRule[] = builtinReadinessRules): (o: Pick<K8sObject, 'apiVersion' | 'kind'>) => ReadinessRule {
  const byKind = new Map<string, ReadinessRule>();
  for (const rule of rules) {
    for (const kind of rule.kinds) {
      if (byKind.has(kind)) throw new Error(`two readiness rules claim ${kind}`);
      byKind.set(kind, rule);
    }
  }
  return (o) => byKind.get(groupKind(o)) ?? generic;
}
