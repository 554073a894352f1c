import type { Volume, VolumeMount } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { absolutePath, dnsLabel, dnsSubdomain, size } from '../../spec/fragments.js';
import type { PendingDiagnostic, Reference, TraitDef, TraitOutput } from '../types.js';
import { deepestWritten } from './written.js';

export type StorageType = 'persistent' | 'ephemeral' | 'host-mounted' | 'config' | 'secret';

export interface StorageSpec {
  name: string;
  type: StorageType;
  mountPath?: string;
  subPath?: string;
  readOnly?: boolean;
  size?: string;
  storageClass?: string;
  accessMode?: string;
  claimName?: string;
  sourceName?: string;
  items?: Array<{ key: string; path: string }>;
  optional?: boolean;
  hostPath?: string;
}

const DEFAULT_SIZE = '1Gi';

export const storage: TraitDef<StorageSpec[]> = {
  name: 'storage',
  description: 'Volumes mounted into the container: persistent claims, scratch space, host paths, ConfigMaps and Secrets as files.',
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'type'],
      properties: {
        name: { ...dnsLabel, description: 'Volume name, unique in the pod (entries with the same name and source share one volume).' },
        type: { enum: ['persistent', 'ephemeral', 'host-mounted', 'config', 'secret'] },
        mountPath: { ...absolutePath, description: 'Where to mount (default /mnt/<name>).' },
        subPath: { type: 'string', format: 'relative-path', description: 'Mount this path inside the volume instead of its root.' },
        readOnly: { type: 'boolean', description: 'Default true for config and secret, false otherwise.' },
        size: { ...size, description: 'persistent: requested size (default 1Gi); ephemeral: size limit.' },
        storageClass: { ...dnsSubdomain, description: "persistent: the StorageClass (default: the cluster's default class)." },
        accessMode: { enum: ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany'], description: 'persistent: default ReadWriteOnce.' },
        claimName: { ...dnsSubdomain, description: 'persistent: mount this existing claim (not created by the app) instead of creating one.' },
        sourceName: {
          ...dnsSubdomain,
          description:
            'config/secret: the ConfigMap or Secret to mount: a component of this app (deployed no later than this one), or an existing one such as kube-root-ca.crt.',
        },
        items: {
          type: 'array',
          minItems: 1,
          description: 'config/secret: mount only these keys, each at its path (default: every key, as a file named after it).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['key', 'path'],
            properties: {
              key: { type: 'string', format: 'config-key', description: 'A key of the ConfigMap or Secret.' },
              path: { type: 'string', format: 'relative-path', description: 'The file it becomes, relative to mountPath.' },
            },
          },
        },
        optional: {
          type: 'boolean',
          description: 'config/secret: start the pod even when the ConfigMap or Secret does not exist (the directory is then empty).',
        },
        hostPath: { ...absolutePath, description: 'host-mounted: the path on the node.' },
      },
      allOf: [
        {
          if: { properties: { type: { const: 'host-mounted' } }, required: ['type'] },
          then: { required: ['hostPath'], errorMessage: 'host-mounted storage needs hostPath: the directory of the node to mount' },
        },
        {
          if: { properties: { type: { enum: ['config', 'secret'] } }, required: ['type'] },
          then: { required: ['sourceName'], errorMessage: 'config and secret storage need sourceName: the ConfigMap or Secret to mount' },
        },
      ],
    },
  },
  apply(items, ctx) {
    const out: Required<Pick<TraitOutput, 'volumes' | 'claimTemplates' | 'objects' | 'diagnostics'>> = {
      volumes: [],
      claimTemplates: [],
      objects: [],
      diagnostics: [],
    };
    const mounts: VolumeMount[] = [];
    const seen = new Map<string, number>();
    const comp = ctx.component;
    items.forEach((s, i) => {
      const pointer = joinPointer(ctx.pointer, i);
      const readOnly = s.readOnly ?? (s.type === 'config' || s.type === 'secret');
      mounts.push({
        name: s.name,
        mountPath: s.mountPath ?? `/mnt/${s.name}`,
        ...(s.subPath ? { subPath: s.subPath } : {}),
        ...(readOnly ? { readOnly: true } : {}),
      });
      out.diagnostics.push(...ignoredFields(s, pointer));
      const first = seen.get(s.name);
      if (first !== undefined) {
        out.diagnostics.push({
          severity: 'error',
          code: 'duplicate-storage',
          message: `storage "${s.name}" is declared twice for this container`,
          hint: 'give each storage entry its own name',
          pointer: joinPointer(pointer, 'name'),
          related: [{ message: 'first declared here', pointer: joinPointer(ctx.pointer, first, 'name') }],
        });
        return;
      }
      seen.set(s.name, i);
      const volume = (v: Volume): void => void out.volumes.push({ value: v, pointer });
      switch (s.type) {
        case 'persistent': {
          const claimSpec = {
            accessModes: [s.accessMode ?? 'ReadWriteOnce'],
            ...(s.storageClass ? { storageClassName: s.storageClass } : {}),
            resources: { requests: { storage: s.size ?? DEFAULT_SIZE } },
          };
          if (s.claimName) {
            volume({ name: s.name, persistentVolumeClaim: { claimName: s.claimName } });
          } else if (comp.type.capabilities.claimTemplates) {
            out.claimTemplates.push({ value: { metadata: { name: s.name }, spec: claimSpec }, pointer });
          } else {
            const claimName = `${comp.component.name}-${s.name}`;
            volume({ name: s.name, persistentVolumeClaim: { claimName } });
            out.objects.push({
              object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: comp.meta(claimName), spec: claimSpec },
              pointer,
            });
            const replicas = comp.component.replicas ?? 1;
            if (replicas > 1 && claimSpec.accessModes[0] === 'ReadWriteOnce') {
              out.diagnostics.push({
                severity: 'warning',
                code: 'shared-rwo-claim',
                message: `${replicas} replicas share the ReadWriteOnce claim "${claimName}": pods on other nodes cannot mount it`,
                hint: 'use a store component (one claim per replica), accessMode ReadWriteMany, or one replica',
                pointer,
              });
            }
          }
          break;
        }
        case 'ephemeral':
          volume({ name: s.name, emptyDir: s.size ? { sizeLimit: s.size } : {} });
          break;
        case 'host-mounted':
          if (!comp.policies.allowHostPath) {
            out.diagnostics.push({
              severity: 'error',
              code: 'host-path-refused',
              message: `host-mounted storage "${s.name}" is refused: it gives the pod access to the node's file system`,
              hint: 'set policies.allowHostPath: true on the application or component if this is really needed',
              pointer: joinPointer(pointer, 'type'),
            });
          }
          volume({ name: s.name, hostPath: { path: s.hostPath } });
          break;
        case 'config':
          volume({ name: s.name, configMap: { name: s.sourceName, ...projection(s) } });
          break;
        case 'secret':
          volume({ name: s.name, secret: { secretName: s.sourceName, ...projection(s) } });
          break;
        default: {
          const never: never = s.type;
          throw new Error(`unknown storage type ${String(never)}`);
        }
      }
    });
    return { container: { volumeMounts: mounts }, ...out };
  },
  references(items, pointer) {
    const refs: Reference[] = [];
    items.forEach((s, i) => {
      if ((s.type === 'config' || s.type === 'secret') && s.sourceName) {
        refs.push({ kind: s.type, name: s.sourceName, pointer: joinPointer(pointer, i, 'sourceName') });
      }
    });
    return refs;
  },
  mountPaths: (items) =>
    items.map((s, i) => ({
      volume: s.name,
      path: s.mountPath ?? `/mnt/${s.name}`,
      label: `storage "${s.name}"`,
      entry: joinPointer('', i),
      pointer: joinPointer('', i, s.mountPath === undefined ? 'name' : 'mountPath'),
      hint:
        s.mountPath === undefined ? 'without mountPath, storage is mounted at /mnt/<name>: set another mountPath' : 'give each storage entry its own mountPath',
    })),
  written(items, field) {
    const i = field.on === 'volume' ? items.findIndex((s) => s.name === field.volume) : -1;
    return i < 0 ? undefined : deepestWritten(items, [i, 'type'], 1);
  },
};

/** Fields that mean nothing for the storage type are reported, not silently dropped. */
const MEANINGFUL: Record<StorageType, ReadonlyArray<keyof StorageSpec>> = {
  persistent: ['size', 'storageClass', 'accessMode', 'claimName'],
  ephemeral: ['size'],
  'host-mounted': ['hostPath'],
  config: ['sourceName', 'items', 'optional'],
  secret: ['sourceName', 'items', 'optional'],
};
const TYPE_SPECIFIC: ReadonlyArray<keyof StorageSpec> = ['size', 'storageClass', 'accessMode', 'claimName', 'sourceName', 'items', 'optional', 'hostPath'];

/** The keys, file mode and optionality of a ConfigMap or Secret volume, in the order Kubernetes writes them. */
function projection(s: StorageSpec): Record<string, unknown> {
  return {
    ...(s.items ? { items: s.items.map((i) => ({ key: i.key, path: i.path })) } : {}),
    defaultMode: 420,
    ...(s.optional !== undefined ? { optional: s.optional } : {}),
  };
}

function ignoredFields(s: StorageSpec, pointer: string): PendingDiagnostic[] {
  const out: PendingDiagnostic[] = [];
  for (const f of TYPE_SPECIFIC) {
    if (s[f] !== undefined && !MEANINGFUL[s.type].includes(f)) {
      out.push({
        severity: 'error',
        code: 'storage-field-unused',
        message: `"${f}" has no meaning for ${s.type} storage`,
        hint: `remove it, or use a storage type that takes ${f}`,
        pointer: joinPointer(pointer, f),
        atKey: true,
      });
    }
  }
  (s.items ?? []).forEach((item, j) => {
    const at = joinPointer(pointer, 'items', j, 'path');
    const first = s.items!.findIndex((other) => other.path === item.path);
    if (item.path.startsWith('..')) {
      out.push({
        severity: 'error',
        code: 'storage-item-path',
        message: `"${item.path}" starts with '..', where the kubelet keeps its own files of the volume`,
        hint: 'choose a path that does not start with ..',
        pointer: at,
      });
    } else if (first < j) {
      out.push({
        severity: 'error',
        code: 'storage-item-path',
        message: `keys "${s.items![first]!.key}" and "${item.key}" would both be the file "${item.path}"`,
        hint: 'give each key its own path',
        pointer: at,
        related: [{ message: 'first written here', pointer: joinPointer(pointer, 'items', first, 'path') }],
      });
    }
  });
  if (s.type === 'persistent' && s.claimName) {
    for (const f of ['size', 'storageClass', 'accessMode'] as const) {
      if (s[f] === undefined) continue;
      out.push({
        severity: 'error',
        code: 'storage-field-unused',
        message: `"${f}" has no meaning with claimName: the existing claim "${s.claimName}" decides it`,
        hint: `remove ${f}, or remove claimName to have kubemin create the claim`,
        pointer: joinPointer(pointer, f),
        atKey: true,
      });
    }
  }
  return out;
}
