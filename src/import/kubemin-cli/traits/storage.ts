import type { StorageSpec, StorageType } from '../../../expand/traits/storage.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import { kubeName } from '../names.js';
import type { KcStorage } from '../types.js';
import type { TraitConverter } from './types.js';

const TYPES: readonly StorageType[] = ['persistent', 'ephemeral', 'host-mounted', 'config', 'secret'];

/**
 * storage -> storage. Names are kubemin's: a claim is `<component>-<name>` (a volumeClaimTemplates
 * entry on a store), never KubeMin-Cli's `claim_name` or `pvc-<name>-<appId>`.
 */
export const storage: TraitConverter = {
  name: 'storage',
  kubemin: 'storage',
  scope: 'container',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcStorage>(value, pointer, ctx.problems, 'storage');
    if (!entries) return undefined;
    const out: StorageSpec[] = [];
    for (const s of entries) {
      const entry = storageEntry(s, ctx);
      if (entry) out.push(entry);
      s.finish('a storage entry');
    }
    return out.length ? out : undefined;
  },
};

function storageEntry(s: JsonObject<KcStorage>, ctx: ConvertContext): StorageSpec | undefined {
  const p = ctx.problems;
  const rawName = s.string('name');
  const rawType = s.string('type');
  if (rawName === undefined) p.error(s.at('name'), 'missing-field', 'a storage entry needs a name (KubeMin-Cli refuses one without)');
  if (rawType === undefined) p.error(s.at('type'), 'missing-field', `a storage entry needs a type: ${TYPES.join(', ')}`);
  const name = rawName === undefined ? undefined : kubeName(rawName, s.at('name'), p, 'storage name');
  const type = rawType === undefined ? undefined : storageType(rawType, s.at('type'), ctx);
  if (name === undefined || type === undefined) {
    for (const f of ['mount_path', 'sub_path', 'read_only', 'source_name', 'tmp_create', 'size', 'claim_name', 'storage_class'] as const) s.ignore(f);
    return undefined;
  }
  const out: StorageSpec = { name, type };
  const mountPath = s.string('mount_path');
  if (mountPath !== undefined) out.mountPath = mountPath;
  const subPath = s.string('sub_path');
  if (subPath !== undefined) out.subPath = subPath;
  // ConfigMaps and Secrets are always mounted read-only (kubemin writes it; the kubelet enforces it anyway).
  if (s.bool('read_only') && type !== 'config' && type !== 'secret') out.readOnly = true;

  const unused = (field: 'source_name' | 'size' | 'storage_class' | 'claim_name', why: string): void =>
    s.drop(field, 'field-unused', `"${field}" has no meaning for ${type} storage: ${why} (dropped)`);
  if (type === 'config' || type === 'secret') {
    const source = s.string('source_name');
    out.sourceName =
      kubeName(source ?? name, source === undefined ? s.at('name') : s.at('source_name'), p, `${type === 'config' ? 'ConfigMap' : 'Secret'} name`) ?? name;
  } else {
    unused('source_name', 'only config and secret storage mount a ConfigMap or Secret');
  }

  if (type === 'persistent') {
    const size = storageSize(s, ctx);
    if (size !== undefined) out.size = size;
    const storageClass = s.string('storage_class');
    if (storageClass !== undefined) out.storageClass = storageClass;
    claimName(s, name, ctx);
    tmpCreate(s, name, ctx);
  } else {
    if (type === 'ephemeral') {
      s.drop(
        'size',
        'field-unused',
        '"size" is ignored by KubeMin-Cli for ephemeral storage (the emptyDir has no size limit); dropped, as kubemin would make it a sizeLimit',
      );
    } else {
      unused('size', 'only persistent storage has a size');
    }
    unused('storage_class', 'only persistent storage has a storage class');
    unused('claim_name', 'only persistent storage is a claim');
    s.drop('tmp_create', 'field-unused', `"tmp_create" has no meaning for ${type} storage (dropped)`);
  }
  return out;
}

function storageType(raw: string, pointer: string, ctx: ConvertContext): StorageType | undefined {
  if (raw === 'host-mounted') {
    ctx.problems.error(
      pointer,
      'host-path-unsupported',
      'host-mounted storage cannot be imported: KubeMin-Cli has no field for the path on the node (and refuses the type)',
    );
    return undefined;
  }
  const type = TYPES.find((t) => t === raw);
  if (type === undefined) ctx.problems.error(pointer, 'invalid-value', `storage type ${quote(raw)} is not one of: persistent, ephemeral, config, secret`);
  return type;
}

/** A size with a unit; KubeMin-Cli (like Kubernetes) reads a bare number as bytes. */
function storageSize(s: JsonObject<KcStorage>, ctx: ConvertContext): string | undefined {
  const raw = s.raw('size');
  if (raw === undefined || raw === '') return undefined;
  let size: string;
  if (typeof raw === 'number') {
    size = String(raw);
    ctx.problems.warn(s.at('size'), 'not-a-string', `"size" is a number, not a string (KubeMin-Cli refuses it); written as the string ${quote(size)}`);
  } else if (typeof raw === 'string') {
    size = raw;
  } else {
    return s.string('size');
  }
  if (/^[0-9]+$/.test(size)) {
    ctx.problems.warn(
      s.at('size'),
      'size-without-unit',
      `size ${quote(size)} has no unit, so it means ${size} bytes (in KubeMin-Cli too); did you mean ${quote(`${size}Gi`)}?`,
    );
  }
  return size;
}

/** KubeMin-Cli creates the claim under `claim_name`; kubemin names its claims itself. */
function claimName(s: JsonObject<KcStorage>, name: string, ctx: ConvertContext): void {
  const claim = s.string('claim_name');
  if (claim === undefined) return;
  const isStore = ctx.component.type === 'store';
  const kubeminClaim = isStore ? `${name}-${ctx.component.name}-<ordinal>` : `${ctx.component.name}-${name}`;
  ctx.problems.warn(
    s.at('claim_name'),
    'claim-renamed',
    `KubeMin-Cli creates the claim ${quote(claim)}; kubemin names it ${quote(kubeminClaim)} (dropped). ` +
      `To keep using an existing claim ${quote(claim)}, set claimName: ${claim} (kubemin then mounts it and does not create it)`,
  );
}

/** On a store, KubeMin-Cli makes one shared claim unless tmp_create; kubemin always makes one per replica. */
function tmpCreate(s: JsonObject<KcStorage>, name: string, ctx: ConvertContext): void {
  const create = s.bool('tmp_create') ?? false;
  if (ctx.component.type === 'store') {
    if (!create) {
      ctx.problems.warn(
        s.pointer,
        'claim-per-replica',
        `without tmp_create, KubeMin-Cli makes one claim ${quote(name)} shared by every replica of the store; kubemin makes one per replica (volumeClaimTemplates), as a StatefulSet's storage should be`,
      );
    }
  } else if (create) {
    s.drop('tmp_create', 'field-unused', '"tmp_create" only has a meaning on a store (a volumeClaimTemplates entry); a webservice gets one claim (dropped)');
  }
}
