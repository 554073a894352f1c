import type { PolicyRuleSpec, RbacSpec } from '../../../expand/traits/rbac.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import { kubeName } from '../names.js';
import type { KcRbac, KcRbacRule } from '../types.js';
import type { TraitConverter } from './types.js';

/**
 * rbac -> rbac. The account names are KubeMin-Cli's (`<component>-sa`, then `<component>-<n>-sa`);
 * the Role and binding names are kubemin's (`<sa>-role`, `<sa>-binding`, prefixed with the
 * namespace when cluster-scoped).
 */
export const rbac: TraitConverter = {
  name: 'rbac',
  kubemin: 'rbac',
  scope: 'pod',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcRbac>(value, pointer, ctx.problems, 'rbac');
    if (!entries) return undefined;
    const out: RbacSpec[] = [];
    entries.forEach((e, i) => {
      const entry = rbacEntry(e, i, ctx);
      if (entry) out.push(entry);
      e.finish('an rbac entry');
    });
    return out.length ? out : undefined;
  },
};

function rbacEntry(e: JsonObject<KcRbac>, index: number, ctx: ConvertContext): RbacSpec | undefined {
  const p = ctx.problems;
  const component = ctx.component.name;
  const rawAccount = e.string('service_account');
  const account = rawAccount === undefined ? undefined : kubeName(rawAccount, e.at('service_account'), p, 'service account');
  if (rawAccount !== undefined && account === undefined) return undefined;
  const sa = account ?? (index === 0 ? `${component}-sa` : `${component}-${index + 1}-sa`);
  const out: RbacSpec = {};
  // kubemin's default for every entry is <component>-sa: the later entries need their name written.
  if (account !== undefined || index > 0) out.serviceAccount = sa;

  const cluster = e.bool('cluster_scope') ?? false;
  if (cluster) {
    out.clusterScope = true;
    ctx.policies.allowClusterScope = true;
    p.warn(
      e.at('cluster_scope'),
      'cluster-scope-allowed',
      `cluster-scoped RBAC needs policies.allowClusterScope in kubemin, so the component gets it; the ClusterRole is named ${quote(`${ctx.app.namespace}-${sa}-role`)}`,
    );
  }
  const namespace = e.string('namespace');
  if (namespace !== undefined && namespace !== ctx.app.namespace) {
    p.warn(
      e.at('namespace'),
      'namespace-dropped',
      `the account and its role are made in the application's namespace ${quote(ctx.app.namespace)}, not ${quote(namespace)} (dropped): kubemin keeps an app in one namespace`,
    );
  }
  const base = cluster ? `${ctx.app.namespace}-${sa}` : sa;
  const kinds = cluster ? ['ClusterRole', 'ClusterRoleBinding'] : ['Role', 'RoleBinding'];
  for (const [field, kind, name] of [
    ['role_name', kinds[0], `${base}-role`],
    ['binding_name', kinds[1], `${base}-binding`],
  ] as const) {
    const given = e.string(field);
    if (given !== undefined && given !== name) p.warn(e.at(field), 'name-dropped', `kubemin names the ${kind} ${quote(name)}, not ${quote(given)} (dropped)`);
  }
  for (const field of ['service_accountLabels', 'service_accountAnnotations', 'role_labels', 'binding_labels'] as const) {
    e.drop(field, 'no-equivalent', `"${field}" has no equivalent: the objects get the component's labels (dropped)`);
  }
  const rules = JsonObject.readArray<KcRbacRule>(e.raw('rules'), e.at('rules'), p, 'rules');
  if (rules?.length) out.rules = rules.map((r) => rule(r, ctx));
  const automount = e.bool('automount_service_account_token');
  if (automount !== undefined) out.automountServiceAccountToken = automount;
  return out;
}

function rule(r: JsonObject<KcRbacRule>, ctx: ConvertContext): PolicyRuleSpec {
  const out: Omit<PolicyRuleSpec, 'verbs'> = {};
  const apiGroups = r.stringList('api_groups');
  const resources = r.stringList('resources');
  if (apiGroups?.length) out.apiGroups = apiGroups;
  else if (resources?.length) {
    ctx.problems.warn(
      r.pointer,
      'rbac-core-group',
      'the rule has no api_groups: KubeMin-Cli writes none, and such a rule allows nothing; kubemin defaults to the core group [""]',
    );
  }
  if (resources?.length) out.resources = resources;
  const names = r.stringList('resource_names');
  if (names?.length) out.resourceNames = names;
  const urls = r.stringList('non_resource_urls');
  if (urls?.length) out.nonResourceURLs = urls;
  const verbs = r.stringList('verbs');
  if (!verbs?.length) ctx.problems.error(r.at('verbs'), 'missing-field', 'an rbac rule needs verbs (KubeMin-Cli refuses it)');
  r.finish('an rbac rule');
  return { ...out, verbs: verbs ?? [] };
}
