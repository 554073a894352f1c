import type { Probe } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { portRef, stringList } from '../../spec/fragments.js';
import type { ContainerPatch, PendingDiagnostic, TraitDef } from '../types.js';
import { deepestWritten } from './written.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

export interface ProbeSpec {
  type: ProbeType;
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
/** The handlers that name a port (by number, or by name for the first two). */
const PORT_HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;
const TIMINGS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const;
const FIELD: Record<ProbeType, keyof ContainerPatch> = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
};

/** The probe type of a container field (`livenessProbe`: liveness). */
const PROBE_OF: Readonly<Record<string, ProbeType>> = Object.fromEntries(Object.entries(FIELD).map(([type, field]) => [field, type as ProbeType]));

const seconds = { type: 'integer', minimum: 0 } as const;
const atLeastOne = { type: 'integer', minimum: 1 } as const;

export const probes: TraitDef<ProbeSpec[]> = {
  name: 'probes',
  description: 'Liveness, readiness and startup probes; one of each at most.',
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { enum: ['liveness', 'readiness', 'startup'] },
        exec: { type: 'object', additionalProperties: false, required: ['command'], properties: { command: { ...stringList, minItems: 1 } } },
        httpGet: {
          type: 'object',
          additionalProperties: false,
          required: ['port'],
          properties: {
            path: { type: 'string', pattern: '^/', patternErrorMessage: 'must start with /' },
            port: portRef,
            host: { type: 'string' },
            scheme: { enum: ['HTTP', 'HTTPS'] },
            httpHeaders: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'value'],
                properties: { name: { type: 'string', format: 'http-header-name' }, value: { type: 'string' } },
              },
            },
          },
        },
        tcpSocket: { type: 'object', additionalProperties: false, required: ['port'], properties: { port: portRef, host: { type: 'string' } } },
        grpc: {
          type: 'object',
          additionalProperties: false,
          required: ['port'],
          properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, service: { type: 'string' } },
        },
        initialDelaySeconds: seconds,
        periodSeconds: atLeastOne,
        timeoutSeconds: atLeastOne,
        failureThreshold: atLeastOne,
        successThreshold: atLeastOne,
      },
    },
  },
  apply(items, ctx) {
    const diagnostics: PendingDiagnostic[] = [];
    const patch: ContainerPatch = {};
    const seen = new Map<ProbeType, number>();
    if (ctx.container.role === 'init' && items.length) {
      diagnostics.push({
        severity: 'error',
        code: 'probe-on-init',
        message: 'init containers run to completion and cannot have probes',
        hint: 'move the probe to the main container or a sidecar',
        pointer: ctx.pointer,
        atKey: true,
      });
    }
    items.forEach((p, i) => {
      const pointer = joinPointer(ctx.pointer, i);
      const handlers = HANDLERS.filter((h) => p[h] !== undefined);
      if (handlers.length !== 1) {
        diagnostics.push({
          severity: 'error',
          code: 'probe-handler',
          message: handlers.length ? `a probe takes one check, this one has ${handlers.join(' and ')}` : 'the probe has no check',
          hint: 'set exactly one of exec, httpGet, tcpSocket or grpc',
          pointer,
        });
      }
      const first = seen.get(p.type);
      if (first !== undefined) {
        diagnostics.push({
          severity: 'error',
          code: 'probe-duplicate',
          message: `a second ${p.type} probe; a container has at most one of each type`,
          pointer: joinPointer(pointer, 'type'),
          related: [{ message: `first ${p.type} probe`, pointer: joinPointer(ctx.pointer, first, 'type') }],
        });
        return;
      }
      seen.set(p.type, i);
      if (p.type !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) {
        diagnostics.push({
          severity: 'error',
          code: 'probe-success-threshold',
          message: `successThreshold must be 1 for a ${p.type} probe`,
          pointer: joinPointer(pointer, 'successThreshold'),
        });
      }
      const probe: Probe = {};
      for (const h of handlers) probe[h] = p[h];
      for (const t of TIMINGS) if (p[t] !== undefined) probe[t] = p[t];
      (patch as Record<string, Probe>)[FIELD[p.type]] = probe;
    });
    return { container: patch, diagnostics };
  },
  probePorts: (items) =>
    items.flatMap((p, i) =>
      PORT_HANDLERS.flatMap((h) => {
        const port = p[h]?.port;
        return port === undefined ? [] : [{ port, pointer: joinPointer('', i, h, 'port') }];
      }),
    ),
  written(items, field) {
    const type = field.on === 'container' ? PROBE_OF[field.path[0] ?? ''] : undefined;
    const i = type ? items.findIndex((p) => p.type === type) : -1;
    return i < 0 || field.on !== 'container' ? undefined : deepestWritten(items, [i, ...field.path.slice(1)], 1);
  },
};
