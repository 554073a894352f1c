import type { K8sObject } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { dnsLabel, stringList } from '../../spec/fragments.js';
import type { EmittedObject, PendingDiagnostic, TraitDef } from '../types.js';

export interface PolicyRuleSpec {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface RbacSpec {
  serviceAccount?: string;
  clusterScope?: boolean;
  rules?: PolicyRuleSpec[];
  automountServiceAccountToken?: boolean;
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';

export const rbac: TraitDef<RbacSpec[]> = {
  name: 'rbac',
  description: 'A ServiceAccount with a Role and RoleBinding (ClusterRole and ClusterRoleBinding with clusterScope); the pod runs as the first one.',
  scope: 'pod',
  requires: ['podTemplate'],
  schema: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        serviceAccount: { ...dnsLabel, description: 'Default <component>-sa.' },
        clusterScope: { type: 'boolean', description: 'Cluster-wide permissions; needs policies.allowClusterScope.' },
        automountServiceAccountToken: { type: 'boolean' },
        rules: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['verbs'],
            properties: {
              apiGroups: { ...stringList, minItems: 1, description: 'Default [""] (the core group).' },
              resources: { ...stringList, minItems: 1 },
              resourceNames: stringList,
              nonResourceURLs: { ...stringList, minItems: 1, description: 'URLs such as /metrics (ClusterRoles only), in a rule of their own.' },
              verbs: { ...stringList, minItems: 1 },
            },
            // As the API server: a rule is about resources or about non-resource URLs, never both.
            oneOf: [
              { required: ['resources'], not: { required: ['nonResourceURLs'] } },
              { required: ['nonResourceURLs'], not: { anyOf: [{ required: ['apiGroups'] }, { required: ['resources'] }, { required: ['resourceNames'] }] } },
            ],
            errorMessage:
              'a rule grants either resources (with apiGroups and resourceNames) or nonResourceURLs: give it resources, or put nonResourceURLs in a rule of their own',
          },
        },
      },
    },
  },
  apply(items, ctx) {
    const comp = ctx.component;
    const objects: EmittedObject[] = [];
    const diagnostics: PendingDiagnostic[] = [];
    const seen = new Map<string, number>();
    items.forEach((entry, i) => {
      const pointer = joinPointer(ctx.pointer, i);
      const sa = entry.serviceAccount ?? `${comp.component.name}-sa`;
      const first = seen.get(sa);
      if (first !== undefined) {
        diagnostics.push({
          severity: 'error',
          code: 'rbac-duplicate-account',
          message: `service account "${sa}" is declared twice`,
          hint: 'merge the rules into one entry, or give the second entry another serviceAccount',
          pointer,
          related: [{ message: 'first declared here', pointer: joinPointer(ctx.pointer, first) }],
        });
        return;
      }
      seen.set(sa, i);
      const cluster = entry.clusterScope ?? false;
      if (cluster && !comp.policies.allowClusterScope) {
        diagnostics.push({
          severity: 'error',
          code: 'cluster-scope-refused',
          message: `cluster-scoped RBAC for "${sa}" is refused: it grants permissions in every namespace`,
          hint: 'set policies.allowClusterScope: true on the application or component if this is really needed',
          pointer: joinPointer(pointer, 'clusterScope'),
        });
      }
      const rules = (entry.rules ?? []).map((r, j) => {
        if (r.nonResourceURLs?.length && !cluster) {
          diagnostics.push({
            severity: 'error',
            code: 'rbac-non-resource-url',
            message: 'nonResourceURLs can only be granted by a ClusterRole',
            hint: 'set clusterScope: true, or remove nonResourceURLs',
            pointer: joinPointer(pointer, 'rules', j, 'nonResourceURLs'),
            atKey: true,
          });
        }
        return {
          ...(r.nonResourceURLs?.length && !r.resources?.length ? {} : { apiGroups: r.apiGroups ?? [''] }),
          ...(r.resources ? { resources: r.resources } : {}),
          ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
          ...(r.nonResourceURLs ? { nonResourceURLs: r.nonResourceURLs } : {}),
          verbs: r.verbs,
        };
      });
      objects.push({
        object: {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: comp.meta(sa),
          ...(entry.automountServiceAccountToken !== undefined ? { automountServiceAccountToken: entry.automountServiceAccountToken } : {}),
        },
        pointer,
      });
      if (rules.length) objects.push(...roleObjects(comp.meta, comp.app.namespace, sa, cluster, rules, pointer));
    });
    const firstEntry = items[0];
    const firstSa = firstEntry ? (firstEntry.serviceAccount ?? `${comp.component.name}-sa`) : undefined;
    return {
      objects,
      diagnostics,
      pod: {
        ...(firstSa ? { serviceAccountName: firstSa } : {}),
        ...(firstEntry?.automountServiceAccountToken !== undefined ? { automountServiceAccountToken: firstEntry.automountServiceAccountToken } : {}),
      },
    };
  },
};

/**
 * Role + RoleBinding, or ClusterRole + ClusterRoleBinding. Cluster-scoped names are prefixed
 * with the namespace, so that two apps with a component of the same name cannot collide.
 */
function roleObjects(
  meta: (name: string) => K8sObject['metadata'],
  namespace: string,
  sa: string,
  cluster: boolean,
  rules: unknown[],
  pointer: string,
): EmittedObject[] {
  const base = cluster ? `${namespace}-${sa}` : sa;
  const clusterMeta = (name: string): K8sObject['metadata'] => {
    const { namespace: _omit, ...rest } = meta(name);
    return rest;
  };
  const m = cluster ? clusterMeta : meta;
  const roleKind = cluster ? 'ClusterRole' : 'Role';
  return [
    { object: { apiVersion: RBAC_API, kind: roleKind, metadata: m(`${base}-role`), rules }, pointer },
    {
      object: {
        apiVersion: RBAC_API,
        kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
        metadata: m(`${base}-binding`),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: `${base}-role` },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace }],
      },
      pointer,
    },
  ];
}
