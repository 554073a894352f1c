import { createHash } from 'node:crypto';
import type { BundlePhase, CompiledApp } from '../../compile.js';
import type { JsonValue } from '../../bundle/yaml-emit.js';
import { emitApp } from '../../bundle/emit-bundle.js';
import { appKey } from '../../environments/app-key.js';
import type { WebhookParams } from '../../plan/step-types/webhook.js';
import type { ApplyCommit } from '../types.js';

/** The CloudEvents type of the event a webhook step sends. */
const PHASE_REACHED = 'dev.kubemin.phase.reached';

interface PayloadInput {
  readonly app: CompiledApp;
  readonly phase: BundlePhase;
  readonly params: WebhookParams;
  /** When the phase was reached (the apply's clock). */
  readonly time: number;
  readonly commit?: ApplyCommit | undefined;
}

/** What the receiver is sent: a CloudEvent 1.0 in structured mode (JSON), with `body` at its top level. */
export interface WebhookPayload {
  readonly idempotencyKey: string;
  readonly event: Readonly<Record<string, JsonValue>>;
}

/**
 * The event of a webhook phase. Its `id` (also the Idempotency-Key header) is the same for every
 * apply of the same bundle to the same app: a receiver that already decided (approved, ran the
 * smoke test) for it may answer as before, however often the apply runs (retries, the daemon
 * correcting drift). No secret value goes in: names, phases and the bundle's digest only.
 */
export function webhookPayload(input: PayloadInput): WebhookPayload {
  const { app, phase, params } = input;
  const key = appKey(app);
  const digest = emitApp(app).planDocument.digest;
  const id = createHash('sha256')
    .update([key, String(phase.index), phase.name, digest, JSON.stringify(phase.params ?? null)].join('\0'))
    .digest('hex')
    .slice(0, 32);
  const earlier = app.phases.filter((p) => p.index < phase.index);
  const later = app.phases.filter((p) => p.index > phase.index);
  const data: Record<string, JsonValue> = {
    app: app.name,
    ...(app.environment ? { environment: app.environment } : {}),
    namespace: app.namespace,
    phase: { index: phase.index, name: phase.name, ...(phase.step ? { step: phase.step } : {}), wait: params.wait },
    // applyApp stops at the first phase that is not ready: every phase before this one is.
    previousPhases: earlier.map((p) => ({ index: p.index, name: p.name, type: p.stepType, outcome: 'ready', objects: p.objects.length })),
    nextPhases: later.map((p) => ({ index: p.index, name: p.name, type: p.stepType })),
    bundleDigest: digest,
    idempotencyKey: id,
    ...(input.commit ? { commit: { ...input.commit } } : {}),
  };
  const event: Record<string, JsonValue> = {
    ...(params.body ?? {}),
    specversion: '1.0',
    id,
    source: `kubemin/${key}`,
    type: PHASE_REACHED,
    subject: phase.name,
    time: new Date(input.time).toISOString(),
    datacontenttype: 'application/json',
    data,
  };
  return { idempotencyKey: id, event };
}
