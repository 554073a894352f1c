import type { K8sObject, Labels } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { objectProblem } from '../../plugins/check-output.js';
import { annotationMap, labelMap } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import { RESERVED_LABELS } from '../labels.js';
import type { ComponentContext, ComponentTypeDef, EmittedObject, PendingDiagnostic } from '../types.js';

/**
 * Raw Kubernetes objects, for the odd CRD-based object kubemin does not model: written inline or
 * in files next to the spec. No templating: each object is taken as written, given kubemin's
 * labels and the app's namespace, and checked like every other object.
 */

/** Built-in kinds that live outside namespaces (the API server's discovery says `namespaced: false`). */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

const KIND = '^[A-Z][A-Za-z0-9]*$';

const objectSchema: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  description: 'A Kubernetes object as `kubectl apply` takes it.',
  properties: {
    apiVersion: { type: 'string', minLength: 1, description: 'e.g. cert-manager.io/v1' },
    kind: { type: 'string', pattern: KIND, description: 'e.g. Certificate' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', format: 'dns-subdomain' },
        namespace: {
          type: 'string',
          format: 'dns-label',
          description: "Default: the application's namespace (for namespaced kinds); another namespace is refused.",
        },
        labels: labelMap,
        annotations: annotationMap,
      },
    },
  },
};

export const k8sObjects: ComponentTypeDef = {
  name: 'k8s-objects',
  description:
    "Raw Kubernetes objects (e.g. a cert-manager Certificate or any other CRD-based object kubemin does not model), written inline under `objects` or in YAML files listed under `files` (relative to the spec file, inside the repository). Placed in phases like any component; each gets kubemin's labels (its own labels are kept) and the application's namespace when namespaced and none is given; checked like every other object. No templating. Cluster-scoped objects need policies.allowClusterScope.",
  capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
  maxNameLength: 63,
  properties: {
    objects: { type: 'array', minItems: 1, items: objectSchema, description: 'Objects written inline.' },
    files: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      description: 'YAML files of objects (several documents each, `---` between them), relative to the spec file; they must lie inside the repository.',
      items: {
        type: 'string',
        minLength: 1,
        pattern: '^[^/\\\\]',
        patternErrorMessage: 'must be a path relative to the spec file (no leading "/"), with "/" between directories',
      },
    },
    clusterScopedKinds: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: KIND },
      description: 'Custom kinds that are cluster-scoped (built-in ones such as ClusterRole are known): they get no namespace.',
    },
  },
  fileFields: ['files'],
  secretPointers(component, pointer) {
    const objects = component.objects;
    if (!Array.isArray(objects)) return [];
    const out: string[] = [];
    objects.forEach((o: unknown, j) => {
      if (o === null || typeof o !== 'object' || (o as { kind?: unknown }).kind !== 'Secret') return;
      for (const field of ['data', 'stringData']) if ((o as Record<string, unknown>)[field] !== undefined) out.push(joinPointer(pointer, 'objects', j, field));
    });
    return out;
  },
  problems(ctx) {
    return collect(ctx).diagnostics;
  },
  expand(ctx) {
    return collect(ctx).objects;
  },
};

/** The component's objects, placed and labelled, with what is wrong with them. */
function collect(ctx: ComponentContext): { objects: EmittedObject[]; diagnostics: PendingDiagnostic[] } {
  const c = ctx.component;
  const objects: EmittedObject[] = [];
  const diagnostics: PendingDiagnostic[] = [];
  const custom = new Set((c.clusterScopedKinds as string[] | undefined) ?? []);
  if (c.objects === undefined && c.files === undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'no-objects',
      message: `component "${c.name}" has no objects`,
      hint: 'write them under `objects`, or list YAML files of them under `files`',
      pointer: ctx.pointer,
    });
  }
  const take = (value: unknown, pointer: string, where: string): void => {
    const placed = place(ctx, value, custom, where);
    if ('problem' in placed) diagnostics.push({ severity: 'error', code: placed.code, message: placed.problem, hint: placed.hint, pointer });
    else objects.push({ object: placed.object, pointer });
  };
  ((c.objects as unknown[] | undefined) ?? []).forEach((o, j) => take(o, joinPointer(ctx.pointer, 'objects', j), ''));
  ((c.files as string[] | undefined) ?? []).forEach((entry, j) => {
    const pointer = joinPointer(ctx.pointer, 'files', j);
    const read = ctx.files.read(entry);
    if (!read.ok) {
      if (!read.reported) {
        diagnostics.push({
          severity: 'error',
          code: 'file-unreadable',
          message: `${read.path}: ${read.message}`,
          hint: 'files are relative to the spec file and must lie inside the repository (or, outside one, the directory given to kubemin)',
          pointer,
        });
      }
      return;
    }
    const docs = read.documents.filter((d) => d.value !== null && d.value !== undefined);
    if (!docs.length)
      diagnostics.push({
        severity: 'error',
        code: 'file-empty',
        message: `${read.path} holds no object`,
        hint: 'write the objects into it, or remove the entry',
        pointer,
      });
    for (const d of docs) take(d.value, pointer, ` (${read.path}, document ${d.index + 1})`);
  });
  return { objects, diagnostics };
}

type Placed = { object: K8sObject } | { problem: string; code: string; hint: string };

function place(ctx: ComponentContext, value: unknown, custom: ReadonlySet<string>, where: string): Placed {
  const problem = objectProblem(value);
  if (problem)
    return {
      problem: `not a Kubernetes object${where}: ${problem}`,
      code: 'invalid-object',
      hint: 'each object needs apiVersion, kind and metadata.name, as kubectl apply takes it',
    };
  const o = value as K8sObject;
  const what = `${o.kind} "${o.metadata.name}"${where}`;
  if (o.kind === 'List' || o.kind.endsWith('List')) {
    return {
      problem: `${what} is a list: write its items as objects of their own`,
      code: 'invalid-object',
      hint: 'one object per entry (or per YAML document, separated by ---)',
    };
  }
  const app = ctx.app;
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(o.kind) || custom.has(o.kind);
  const ns = o.metadata.namespace;
  if (clusterScoped) {
    if (ns !== undefined)
      return {
        problem: `${what} is cluster-scoped but has a namespace`,
        code: 'object-namespace',
        hint: 'remove metadata.namespace, or take the kind out of clusterScopedKinds',
      };
    if (!ctx.policies.allowClusterScope) {
      return {
        problem: `${what} is cluster-scoped: it affects the whole cluster, not only the application's namespace`,
        code: 'cluster-scope-refused',
        hint: 'set policies.allowClusterScope: true on the application or this component if this is really needed',
      };
    }
  } else if (ns !== undefined && ns !== app.namespace) {
    return {
      problem: `${what} is in namespace "${ns}", not the application's ("${app.namespace}")`,
      code: 'object-namespace',
      hint: 'an application lives in one namespace (its inventory, pruning and diff rely on it): remove metadata.namespace, or move the object to an application of that namespace',
    };
  }
  const labels = labelled(ctx.labels, o.metadata.labels ?? {});
  if ('clash' in labels) {
    return {
      problem: `${what} sets the label ${labels.clash} to "${labels.value}", but kubemin sets it to "${ctx.labels[labels.clash]}"`,
      code: 'reserved-label',
      hint: 'kubemin sets app.kubernetes.io/name, instance and managed-by on every object of a component (pruning and the inventory rely on them): remove the label from the object',
    };
  }
  const annotations = { ...app.annotations, ...o.metadata.annotations };
  const metadata = {
    ...o.metadata,
    name: o.metadata.name,
    ...(clusterScoped ? {} : { namespace: app.namespace }),
    labels: labels.labels,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  if (clusterScoped) delete (metadata as { namespace?: string }).namespace;
  return { object: secretAsData({ ...structuredClone(o), metadata: reorderMeta(metadata) }) };
}

/**
 * A Secret's `stringData` written as `data`, as the secret component writes it: kubemin then owns
 * each key with server-side apply, and diffs compare like with like (the API server would do the
 * same conversion, `stringData` winning over `data` for a key in both).
 */
function secretAsData(o: K8sObject): K8sObject {
  if (o.kind !== 'Secret' || o.apiVersion !== 'v1' || o.stringData === null || typeof o.stringData !== 'object') return o;
  const { stringData, ...rest } = o;
  const encoded = Object.entries(stringData as Record<string, unknown>).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]);
  return { ...rest, data: { ...(rest.data as Record<string, string> | undefined), ...Object.fromEntries(encoded) } };
}

/** kubemin's labels where the object has none of its own; its own win, except kubemin's reserved ones, which must agree. */
function labelled(kubemin: Labels, own: Labels): { labels: Labels } | { clash: string; value: string } {
  for (const key of RESERVED_LABELS) {
    const value = own[key];
    if (value !== undefined && value !== kubemin[key]) return { clash: key, value };
  }
  return { labels: { ...kubemin, ...own } };
}

function reorderMeta(m: Record<string, unknown>): K8sObject['metadata'] {
  const first = ['name', 'namespace', 'labels', 'annotations'];
  const out: Record<string, unknown> = {};
  for (const k of first) if (m[k] !== undefined) out[k] = m[k];
  for (const [k, v] of Object.entries(m)) if (!first.includes(k)) out[k] = v;
  return out as unknown as K8sObject['metadata'];
}
