import { checkConfigKey } from '../../k8s/formats/keys.js';
import { getAtPointer, joinPointer } from '../../load/json-pointer.js';
import type { K8sObject } from '../../k8s/types.js';
import type { ObjectProblem, ObjectRule, ObjectRuleContext } from '../object-rule.js';

/** The API server's limit on the data of one ConfigMap or Secret (core.MaxSecretSize). */
const DATA_MAX_BYTES = 1024 * 1024;

/**
 * What a Secret of each built-in type must hold (ValidateSecret). Values are never shown: the
 * messages name keys only.
 */
const SECRET_TYPES: Readonly<Record<string, (data: ReadonlyMap<string, Buffer>, object: K8sObject) => string | undefined>> = {
  'kubernetes.io/service-account-token': (_data, o) =>
    o.metadata.annotations?.['kubernetes.io/service-account.name']
      ? undefined
      : 'needs the annotation kubernetes.io/service-account.name, which kubemin cannot set on one Secret: create service account tokens outside the spec',
  'kubernetes.io/dockercfg': (data) => jsonKey(data, '.dockercfg'),
  'kubernetes.io/dockerconfigjson': (data) => jsonKey(data, '.dockerconfigjson'),
  'kubernetes.io/basic-auth': (data) => (data.has('username') || data.has('password') ? undefined : 'needs the key "username" or "password"'),
  'kubernetes.io/ssh-auth': (data) => (data.get('ssh-privatekey')?.length ? undefined : 'needs a non-empty key "ssh-privatekey"'),
  'kubernetes.io/tls': (data) => {
    const missing = ['tls.crt', 'tls.key'].filter((k) => !data.has(k));
    return missing.length ? `needs the key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(' and ')}` : undefined;
  },
};

function jsonKey(data: ReadonlyMap<string, Buffer>, key: string): string | undefined {
  const value = data.get(key);
  if (value === undefined) return `needs the key "${key}"`;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    if (parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed))) return undefined;
  } catch {
    // The parser's message quotes the value: never shown.
  }
  return `needs "${key}" to be a JSON object (the contents of a Docker config file)`;
}

export const configData: ObjectRule = {
  name: 'config-data',
  description: "ConfigMap and Secret keys are valid file names, their data is at most 1 MiB, and a Secret of a built-in type has that type's keys.",
  check(object, ctx) {
    if (object.kind !== 'ConfigMap' && object.kind !== 'Secret') return [];
    const isSecret = object.kind === 'Secret';
    const data = new Map<string, Buffer>();
    const sections = isSecret ? (['data', 'stringData'] as const) : (['data', 'binaryData'] as const);
    for (const section of sections) {
      for (const [key, value] of Object.entries((object[section] as Record<string, string> | undefined) ?? {})) {
        const base64 = section === 'binaryData' || (isSecret && section === 'data');
        data.set(key, Buffer.from(String(value), base64 ? 'base64' : 'utf8'));
      }
    }
    const out: ObjectProblem[] = [];
    const specSection = isSecret ? 'stringData' : 'data';
    for (const key of data.keys()) {
      const problem = checkConfigKey(key);
      if (problem)
        out.push({ code: 'invalid-key', message: `a key of ${object.kind} "${object.metadata.name}" is invalid: ${problem}`, ...at(ctx, specSection, key) });
    }
    const bytes = [...data.values()].reduce((n, b) => n + b.length, 0);
    if (bytes > DATA_MAX_BYTES) {
      out.push({
        code: 'data-too-large',
        message: `the data of ${object.kind} "${object.metadata.name}" is ${bytes} bytes; Kubernetes allows ${DATA_MAX_BYTES} (1 MiB)`,
        hint: 'split it into several components, or mount large files from a volume',
        ...at(ctx, specSection),
      });
    }
    const type = object.type;
    const required = isSecret && typeof type === 'string' ? SECRET_TYPES[type] : undefined;
    const missing = required?.(data, object);
    if (missing) out.push({ code: 'secret-type', message: `a Secret of type ${type} ${missing}`, ...at(ctx, 'secretType') });
    return out;
  },
};

/** The spec field that produced a part of the object, when the spec has it; else the object's source. */
function at(ctx: ObjectRuleContext, ...segments: string[]): { pointer?: string; atKey?: boolean } {
  const pointer = joinPointer(ctx.pointer, ...segments);
  if (getAtPointer(ctx.spec, pointer) === undefined) return {};
  return { pointer, atKey: segments.length > 1 };
}
