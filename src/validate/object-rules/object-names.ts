import { checkDns1035Label, checkDnsLabel, checkDnsSubdomain } from '../../k8s/formats/names.js';
import { quote } from '../../k8s/formats/quote.js';
import { inventoryName } from '../../inventory/inventory.js';
import type { K8sObject } from '../../k8s/types.js';
import type { ObjectProblem, ObjectRule, ObjectRuleContext } from '../object-rule.js';

type NameCheck = (name: string) => string | undefined;

/** Every object name is at least a path segment (custom resources included). */
const pathSegment: NameCheck = (s) =>
  s === ''
    ? `${quote(s)} is empty`
    : s === '.' || s === '..'
      ? `${quote(s)} is not a name`
      : /[/%]/.test(s)
        ? `${quote(s)} must not contain '/' or '%'`
        : undefined;

const withMax =
  (check: NameCheck, max: number, why: string): NameCheck =>
  (s) =>
    check(s) ?? (s.length > max ? `${quote(s)} has ${s.length} characters, at most ${max} are allowed (${why})` : undefined);

/** How the API server checks the name of each kind (the kinds kubemin and its traits produce, and their neighbours). */
const NAME_CHECKS: Readonly<Record<string, NameCheck>> = {
  Service: checkDns1035Label,
  Namespace: checkDnsLabel,
  StatefulSet: checkDnsLabel,
  CronJob: withMax(checkDnsSubdomain, 52, 'the controller appends 11 characters for each Job'),
  Job: withMax(checkDnsSubdomain, 63, 'it becomes the value of the job-name label of its pods'),
  Role: pathSegment,
  ClusterRole: pathSegment,
  RoleBinding: pathSegment,
  ClusterRoleBinding: pathSegment,
  ConfigMap: checkDnsSubdomain,
  Secret: checkDnsSubdomain,
  ServiceAccount: checkDnsSubdomain,
  PersistentVolumeClaim: checkDnsSubdomain,
  Deployment: checkDnsSubdomain,
  DaemonSet: checkDnsSubdomain,
  ReplicaSet: checkDnsSubdomain,
  Pod: checkDnsSubdomain,
  Ingress: checkDnsSubdomain,
  HorizontalPodAutoscaler: checkDnsSubdomain,
  PodDisruptionBudget: checkDnsSubdomain,
  NetworkPolicy: checkDnsSubdomain,
};

const INVENTORY_PREFIX = inventoryName('');

export const objectNames: ObjectRule = {
  name: 'object-names',
  description: "Every object's name is one its kind accepts (a Service's starts with a letter), and no ConfigMap takes the name of an application's inventory.",
  check(object, ctx) {
    const name = object.metadata.name;
    const out: ObjectProblem[] = [];
    const problem = (NAME_CHECKS[object.kind] ?? pathSegment)(name);
    if (problem !== undefined) {
      // The checks say `"name" must be ...`: here the subject is the object's name.
      const rest = problem.startsWith(`${quote(name)} `) ? problem.slice(quote(name).length + 1) : `is invalid: ${problem}`;
      out.push(named(object, ctx, 'invalid-object-name', (subject) => `the name of ${subject} ${rest}`));
    }
    if (object.kind === 'ConfigMap' && name.startsWith(INVENTORY_PREFIX)) {
      const app = name.slice(INVENTORY_PREFIX.length);
      out.push(
        named(
          object,
          ctx,
          'reserved-name',
          (subject) => `${subject} would take the name of the inventory kubemin keeps for application "${app}" in this namespace`,
          `names starting with "${INVENTORY_PREFIX}" are kubemin's own: choose another name`,
        ),
      );
    }
    return out;
  },
};

/** A problem with an object's name: at the component's name when the object is named after it. */
function named(object: K8sObject, ctx: ObjectRuleContext, code: string, message: (subject: string) => string, hint?: string): ObjectProblem {
  const c = ctx.component;
  const subject = `${object.kind} "${object.metadata.name}"`;
  if (c && object.metadata.name.startsWith(c.name)) {
    return {
      code,
      message: message(`${subject} (named after component "${c.name}")`),
      hint: hint ?? `rename the component: the ${object.kind}'s name is made from it`,
      pointer: `${c.pointer}/name`,
    };
  }
  return { code, message: message(subject), ...(hint ? { hint } : {}) };
}
