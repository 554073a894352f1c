import { podTemplateOf } from '../k8s/pod-templates.js';
import type { AppSpec, PodSecurityLevel } from '../spec/types.js';
import { morePermissive } from '../validate/pod-security/evaluate.js';
import { POD_SECURITY_VERSION } from '../validate/pod-security/types.js';
import type { ExpandedObject } from './expand-app.js';
import type { AppContext } from './types.js';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/**
 * The level a Namespace the application creates enforces: the most permissive level of the
 * components that run pods (each its own policies.podSecurity, else the app's); the app's own
 * when none does. Pinned to the version of the standards kubemin checks (POD_SECURITY_VERSION),
 * so that a cluster upgrade that tightens them cannot refuse pods `validate` accepted.
 */
function namespaceLevel(spec: AppSpec, app: AppContext, objects: readonly ExpandedObject[]): PodSecurityLevel {
  const levels = new Map<string, PodSecurityLevel>(spec.spec.components.map((c) => [c.name, c.policies?.podSecurity ?? app.policies.podSecurity]));
  let level: PodSecurityLevel | undefined;
  for (const o of objects) {
    if (o.component === undefined || !podTemplateOf(o.object)) continue;
    const own = levels.get(o.component) ?? app.policies.podSecurity;
    level = level === undefined ? own : morePermissive(level, own);
  }
  return level ?? app.policies.podSecurity;
}

/** The objects, with the application's Namespace (if it creates one) labelled with its Pod Security level. */
export function labelNamespace(spec: AppSpec, app: AppContext, objects: readonly ExpandedObject[]): ExpandedObject[] {
  const i = objects.findIndex((o) => o.component === undefined && o.object.kind === 'Namespace' && o.object.metadata.name === app.namespace);
  if (i < 0) return [...objects];
  const ns = objects[i]!;
  const labels = { ...ns.object.metadata.labels, [ENFORCE_LABEL]: namespaceLevel(spec, app, objects), [ENFORCE_VERSION_LABEL]: POD_SECURITY_VERSION };
  const out = [...objects];
  out[i] = { ...ns, object: { ...ns.object, metadata: { ...ns.object.metadata, labels } } };
  return out;
}
