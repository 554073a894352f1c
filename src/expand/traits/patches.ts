import type { K8sObject } from '../../k8s/types.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import { getAtPointer, joinPointer, splitPointer } from '../../load/json-pointer.js';
import { schemaProblems } from '../../k8s/openapi/check-schema.js';
import { shortHash } from '../hash.js';
import { jsonPatch, JsonPatchError, mergePatch, type JsonPatchOp } from '../json-patch.js';
import { RESERVED_LABELS } from '../labels.js';
import type { EmittedObject, PendingDiagnostic, TraitDef } from '../types.js';

/** One entry of `patches`: the objects it selects, and one merge patch or one JSON patch. */
export interface PatchSpec {
  target: { kind: string; name?: string };
  merge?: Record<string, unknown>;
  json?: JsonPatchOp[];
}

const KIND = '^[A-Z][A-Za-z0-9]*$';

const op = (name: string, needs: 'value' | 'from'): JsonSchema => ({
  if: { properties: { op: { const: name } }, required: ['op'] },
  then: { required: [needs] },
});

export const patches: TraitDef<PatchSpec[]> = {
  name: 'patches',
  description:
    "The escape hatch for a field kubemin does not model: patches on the objects this component renders (its own and its traits'), applied after everything else, each on the objects of one kind (and name). `merge` is an RFC 7386 JSON merge patch (objects are merged, `null` removes a key, lists are replaced whole); `json` is an RFC 6902 JSON patch (add, remove, replace, move, copy, test). The patched objects are checked as any other. A patch may not change an object's apiVersion, kind, name or namespace, kubemin's labels or a workload's selector, and one that matches no object is an error.",
  scope: 'pod',
  schema: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['target'],
      allOf: [
        {
          oneOf: [{ required: ['merge'] }, { required: ['json'] }],
          errorMessage: 'give exactly one of `merge` (an RFC 7386 merge patch) or `json` (an RFC 6902 JSON patch)',
        },
      ],
      properties: {
        target: {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          description: 'The objects to patch: every object of this component of `kind`, or only the one named `name`.',
          properties: {
            kind: { type: 'string', pattern: KIND, description: 'Kind of the objects, e.g. Deployment, Service, Job.' },
            name: { type: 'string', minLength: 1, description: 'Name of the object (default: every object of the kind).' },
          },
        },
        merge: {
          type: 'object',
          description: 'An RFC 7386 JSON merge patch: merged into the object key by key; `null` removes a key; a list replaces the list.',
        },
        json: {
          type: 'array',
          minItems: 1,
          description: 'An RFC 6902 JSON patch: operations applied in order; if one fails, the patch fails.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['op', 'path'],
            properties: {
              op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
              path: { type: 'string', pattern: '^(/.*)?$', description: 'JSON pointer (RFC 6901) of the value, e.g. /spec/template/spec/hostAliases/-.' },
              from: { type: 'string', pattern: '^(/.*)?$', description: 'For move and copy: where the value comes from.' },
              value: { description: 'For add, replace and test: the value.' },
            },
            allOf: [op('add', 'value'), op('replace', 'value'), op('test', 'value'), op('move', 'from'), op('copy', 'from')],
          },
        },
      },
    },
  },
  apply() {
    // Nothing for the pod: patches apply to the finished objects (patchObjects).
    return {};
  },
  patchObjects(list, objects, ctx) {
    const diagnostics: PendingDiagnostic[] = [];
    let out = [...objects];
    list.forEach((patch, i) => {
      const at = joinPointer(ctx.pointer, i);
      const { kind, name } = patch.target;
      const matched = out.filter((e) => e.object.kind === kind && (name === undefined || e.object.metadata.name === name));
      if (!matched.length) {
        diagnostics.push(noMatch(ctx.component.component.name, patch, out, joinPointer(at, 'target')));
        return;
      }
      for (const e of matched) {
        const result = patchOne(e.object, patch, at);
        if ('problems' in result) {
          diagnostics.push(...result.problems);
          continue;
        }
        out = out.map((x) => (x === e ? { ...e, object: result.object } : x));
      }
    });
    return { objects: out, diagnostics };
  },
  secretPointers(list, pointer) {
    // What a patch writes into a Secret's data is as secret as the Secret component's stringData.
    if (!Array.isArray(list)) return [];
    const out: string[] = [];
    list.forEach((p: unknown, i) => {
      if (!isRecord(p) || !isRecord(p.target) || p.target.kind !== 'Secret') return;
      const at = joinPointer(pointer, i);
      if (isRecord(p.merge)) for (const field of ['data', 'stringData']) if (p.merge[field] !== undefined) out.push(joinPointer(at, 'merge', field));
      if (Array.isArray(p.json)) {
        p.json.forEach((o: unknown, k) => {
          if (isRecord(o) && typeof o.path === 'string' && /^\/(data|stringData)(\/|$)/.test(o.path)) out.push(joinPointer(at, 'json', k, 'value'));
        });
      }
    });
    return out;
  },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function noMatch(component: string, patch: PatchSpec, objects: readonly EmittedObject[], pointer: string): PendingDiagnostic {
  const { kind, name } = patch.target;
  const rendered = objects.map((e) => `${e.object.kind} "${e.object.metadata.name}"`);
  const sameKind = objects.filter((e) => e.object.kind === kind).map((e) => `"${e.object.metadata.name}"`);
  return {
    severity: 'error',
    code: 'patch-no-match',
    message: `this patch matches no object: component "${component}" renders no ${kind}${name === undefined ? '' : ` named "${name}"`}`,
    hint: sameKind.length
      ? `its ${kind} objects are named ${sameKind.join(', ')}`
      : `it renders ${rendered.length ? rendered.join(', ') : 'no objects'}; patch one of those by kind (and name)`,
    pointer,
  };
}

type Patched = { object: K8sObject } | { problems: PendingDiagnostic[] };

const problem = (code: string, message: string, hint: string, pointer: string): PendingDiagnostic => ({ severity: 'error', code, message, hint, pointer });

function patchOne(object: K8sObject, patch: PatchSpec, at: string): Patched {
  const what = `${object.kind} "${object.metadata.name}"`;
  let patched: unknown;
  if (patch.merge !== undefined) {
    patched = mergePatch(object, patch.merge);
  } else {
    try {
      patched = jsonPatch(object, patch.json ?? []);
    } catch (err) {
      if (!(err instanceof JsonPatchError)) throw err;
      const hint =
        'JSON patch paths are JSON pointers into the rendered object (see `kubemin render`); "add" needs the parent to exist, "/-" appends to a list';
      return { problems: [problem('patch-failed', `this operation cannot be applied to ${what}: ${err.message}`, hint, joinPointer(at, 'json', err.index))] };
    }
  }
  const forbidden = forbiddenChange(object, patched);
  if (forbidden) {
    return {
      problems: [
        problem('patch-forbidden', `this patch changes ${forbidden.what} of ${what}, which kubemin owns`, forbidden.hint, blame(patch, at, forbidden.path)),
      ],
    };
  }
  // What the patch made the API server's schema refuse, at the patch (the object's own problems are reported at the object).
  const had = new Set(schemaProblems(object).map((p) => p.path));
  const added = schemaProblems(patched as K8sObject).filter((p) => !had.has(p.path));
  if (added.length) {
    const hint = 'the Kubernetes API reference lists the fields of each kind (kubectl explain)';
    return { problems: added.map((p) => problem('object-schema', `after this patch, ${what}: ${p.message}`, p.hint ?? hint, blame(patch, at, p.path))) };
  }
  return { object: renameJob(object, patched as K8sObject) };
}

interface Forbidden {
  readonly what: string;
  readonly path: string;
  readonly hint: string;
}

/** What a patch may not change: identity, kubemin's labels (anywhere: objects, templates, selectors) and workload selectors. */
function forbiddenChange(before: K8sObject, after: unknown): Forbidden | undefined {
  const identity = 'an object is named and placed by its component: rename the component, or write the object you need with a k8s-objects component';
  if (!isRecord(after)) return { what: 'the whole object', path: '', hint: identity };
  for (const path of ['/apiVersion', '/kind', '/metadata/name', '/metadata/namespace']) {
    if (JSON.stringify(getAtPointer(after, path)) !== JSON.stringify(getAtPointer(before, path))) {
      return { what: `${path.slice(1).replace('/', '.')}`, path, hint: identity };
    }
  }
  const was = reservedLabels(before);
  const now = reservedLabels(after);
  for (const path of new Set([...was.keys(), ...now.keys()])) {
    if (was.get(path) !== now.get(path)) {
      return {
        what: `the label ${splitPointer(path).at(-1)} at ${path}`,
        path,
        hint: 'kubemin sets app.kubernetes.io/name, instance and managed-by: selectors, pruning and the inventory rely on them; add a label of your own instead',
      };
    }
  }
  const selector = '/spec/selector';
  if (before.kind !== 'Service' && JSON.stringify(getAtPointer(after, selector)) !== JSON.stringify(getAtPointer(before, selector))) {
    return {
      what: 'spec.selector',
      path: selector,
      hint: "a workload's selector is immutable once created, and kubemin's selectors match exactly one component's pods",
    };
  }
  return undefined;
}

/** Every label of kubemin's (RESERVED_LABELS) anywhere in an object, by pointer. */
function reservedLabels(o: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(o)) o.forEach((x, i) => reservedLabels(x, joinPointer(at, i), out));
  else if (isRecord(o)) {
    for (const [k, v] of Object.entries(o)) {
      const here = joinPointer(at, k);
      if ((RESERVED_LABELS as readonly string[]).includes(k) && typeof v === 'string') out.set(here, v);
      else reservedLabels(v, here, out);
    }
  }
  return out;
}

/** The spec entry to point at for a forbidden change: the merge patch's key that made it, or the JSON operation. */
function blame(patch: PatchSpec, at: string, path: string): string {
  if (patch.merge !== undefined) {
    const segments = splitPointer(path);
    let pointer = joinPointer(at, 'merge');
    let cur: unknown = patch.merge;
    for (const seg of segments) {
      if (!isRecord(cur) || !(seg in cur)) break;
      cur = cur[seg];
      pointer = joinPointer(pointer, seg);
    }
    return pointer;
  }
  const ops = patch.json ?? [];
  const touches = (p: string | undefined): boolean => p !== undefined && (p === path || path.startsWith(p + '/') || p.startsWith(path + '/'));
  const k = ops.findIndex((o) => touches(o.path) || ('from' in o && o.op === 'move' && touches(o.from)));
  return k >= 0 ? joinPointer(at, 'json', k) : at;
}

/**
 * A Job is named after a hash of its template (job.ts): the template is immutable, so a changed
 * one must be a new Job. A patch that changes the template renames the Job to the new hash.
 */
function renameJob(before: K8sObject, after: K8sObject): K8sObject {
  if (before.kind !== 'Job') return after;
  const hashOf = (o: K8sObject): string => {
    const spec = (o.spec ?? {}) as { template?: unknown; completions?: unknown };
    return shortHash({ template: spec.template, completions: spec.completions });
  };
  const old = hashOf(before);
  const name = before.metadata.name;
  if (!name.endsWith(`-${old}`)) return after;
  return { ...after, metadata: { ...after.metadata, name: `${name.slice(0, -old.length)}${hashOf(after)}` } };
}
