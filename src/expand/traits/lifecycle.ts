import { stringList } from '../../spec/fragments.js';
import type { PendingDiagnostic, TraitDef } from '../types.js';
import { deepestWritten } from './written.js';

export interface LifecycleSpec {
  preStop: PreStopSpec;
}

interface PreStopSpec {
  command?: string[];
  sleepSeconds?: number;
}

export const lifecycle: TraitDef<LifecycleSpec> = {
  name: 'lifecycle',
  description:
    'A preStop hook: what the container does when its pod is stopped, before the stop signal. Sleeping a few seconds lets Services and ingresses stop sending it requests first.',
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['preStop'],
    properties: {
      preStop: {
        type: 'object',
        additionalProperties: false,
        description: "Exactly one of command or sleepSeconds. Its time counts in the pod's terminationGracePeriodSeconds (trait pod, default 30).",
        properties: {
          command: { ...stringList, minItems: 1, description: 'Run this in the container (exec; the image must have the program, e.g. a shell).' },
          sleepSeconds: {
            type: 'integer',
            minimum: 1,
            description: "Wait this long (the kubelet's sleep action, Kubernetes 1.30+: no program needed in the image).",
          },
        },
      },
    },
  },
  apply(l, ctx) {
    const diagnostics: PendingDiagnostic[] = [];
    if (ctx.container.role === 'init') {
      diagnostics.push({
        severity: 'error',
        code: 'lifecycle-on-init',
        message: 'init containers run to completion before the others start: Kubernetes refuses lifecycle hooks on them',
        hint: 'move the preStop hook to the main container or a sidecar',
        pointer: ctx.pointer,
        atKey: true,
      });
    }
    const p = l.preStop;
    const given = (['command', 'sleepSeconds'] as const).filter((k) => p[k] !== undefined);
    if (given.length !== 1) {
      diagnostics.push({
        severity: 'error',
        code: 'lifecycle-handler',
        message: given.length ? 'a preStop hook does one thing, this one has command and sleepSeconds' : 'the preStop hook does nothing',
        hint: 'set exactly one of command or sleepSeconds',
        pointer: `${ctx.pointer}/preStop`,
      });
    }
    const preStop =
      p.command !== undefined ? { exec: { command: [...p.command] } } : p.sleepSeconds !== undefined ? { sleep: { seconds: p.sleepSeconds } } : undefined;
    return { diagnostics, ...(preStop ? { container: { lifecycle: { preStop } } } : {}) };
  },
  written: (l, field) => (field.on === 'container' && field.path[0] === 'lifecycle' ? deepestWritten(l, field.path.slice(1)) : undefined),
  preStopSeconds: (l) => (l.preStop.sleepSeconds === undefined ? [] : [{ seconds: l.preStop.sleepSeconds, pointer: '/preStop/sleepSeconds' }]),
};
