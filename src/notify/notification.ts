import { createHash } from 'node:crypto';
import type { AppApplyResult, ObjectResult, PhaseResult } from '../apply/types.js';
import { appPath } from '../dashboard/paths.js';
import { appKey } from '../environments/app-key.js';
import { formatRef } from '../k8s/object-ref.js';
import { phaseLabel } from '../plan/plan-phases.js';

/**
 * What kubemin tells people and systems about (issue #17). `apply.rejected`: a phase the scheduler
 * refused (unschedulable) or a preflight check stopped (e.g. not enough GPUs): nothing ran.
 */
export const NOTIFICATION_KINDS = [
  'apply.started',
  'apply.succeeded',
  'apply.failed',
  'apply.rejected',
  'apply.interrupted',
  'drift.found',
  'drift.corrected',
  'status.push-failed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds that begin or end an apply: what commit statuses and deployments follow. */
export const APPLY_KINDS: readonly NotificationKind[] = ['apply.started', 'apply.succeeded', 'apply.failed', 'apply.rejected', 'apply.interrupted'];

/** How it ended (or stands): one word per kind, for filters and messages. */
export type NotificationOutcome = 'started' | 'succeeded' | 'failed' | 'rejected' | 'interrupted' | 'drifted' | 'corrected' | 'push-failed';

/** Why the apply ran: a new commit, drift, a retry (the daemon), or a run of `kubemin apply`. */
export type NotificationTrigger = 'commit' | 'drift' | 'retry' | 'cli';

export interface NotificationCommit {
  /** The full sha. */
  readonly sha: string;
  readonly subject?: string;
  /** The author's name. */
  readonly author?: string;
}

/** Where an apply stopped: the first phase that did not get ready, and its failing object. */
export interface NotificationFailure {
  /** The phase's label, `02-migrate`. */
  readonly phase: string;
  /** `Kind ns/name` of the failing object, when one is known. */
  readonly object?: string;
  /** A short machine-readable cause, e.g. `BackoffLimitExceeded`. */
  readonly reason?: string;
  /** Why, for people: the object's readiness message or apply error, else the phase's first reason. */
  readonly cause: string;
  /** `file:line` of the spec part that produced the object. */
  readonly source?: string;
}

interface PhaseDuration {
  readonly phase: string;
  readonly outcome: string;
  readonly durationMs: number;
}

/** One event, as every sink receives it. Its texts are scrubbed of secret values when built. */
export interface Notification {
  /** Idempotency key: the same on every attempt to deliver this event (CloudEvents `id`). */
  readonly id: string;
  readonly kind: NotificationKind;
  /** ISO 8601: when it happened. */
  readonly time: string;
  readonly app: string;
  readonly environment?: string;
  /** `<env>/<app>` or `<app>` (appKey): the web view's and the status reports' key. */
  readonly key: string;
  readonly namespace: string;
  readonly commit: NotificationCommit;
  readonly outcome: NotificationOutcome;
  readonly trigger?: NotificationTrigger;
  readonly failure?: NotificationFailure;
  /** The apply's durations (absent for events that are not an apply's end). */
  readonly durations?: { readonly totalMs: number; readonly phases: readonly PhaseDuration[] };
  /** Drifted objects, `Kind ns/name`, sorted (drift events). */
  readonly drifted?: readonly string[];
  /** The app's page of the web view, when its base URL is configured. */
  readonly link?: string;
  /** One line for people. */
  readonly summary: string;
}

/** What every builder is given besides the event's own facts. */
export interface NotificationContext {
  readonly commit: NotificationCommit;
  readonly trigger?: NotificationTrigger;
  /** The environment, when the result does not carry it (the daemon's `--env`). */
  readonly environment?: string;
  /** The web view's base URL (`https://kubemin.example.com`): links to `<base>/apps/<key>`. */
  readonly webViewUrl?: string;
  /** When it happened (ISO 8601). */
  readonly time: string;
  /** Masks secret values (kubemin's Redactor.scrub): applied to every text. */
  readonly scrub: (text: string) => string;
}

const OUTCOME: Record<NotificationKind, NotificationOutcome> = {
  'apply.started': 'started',
  'apply.succeeded': 'succeeded',
  'apply.failed': 'failed',
  'apply.rejected': 'rejected',
  'apply.interrupted': 'interrupted',
  'drift.found': 'drifted',
  'drift.corrected': 'corrected',
  'status.push-failed': 'push-failed',
};

export interface AppFacts {
  readonly app: string;
  readonly environment?: string;
  readonly namespace: string;
}

/** An apply began (the daemon's `apply-start`, or `kubemin apply`): `startedAt` tells this apply from others of the same commit. */
export function notificationOfStart(app: AppFacts & { readonly startedAt: string }, ctx: NotificationContext): Notification {
  return build('apply.started', app, ctx, app.startedAt, {}, (key) => `${key}: applying ${describeCommit(ctx.commit)}`);
}

/**
 * The events of an apply's end: `apply.succeeded`, `apply.failed`, `apply.rejected` (the first
 * phase that did not get ready was unschedulable or refused) or `apply.interrupted`; and
 * `drift.corrected` as well when drift triggered an apply that succeeded. None for a dry run.
 */
export function notificationsFromApply(result: AppApplyResult, ctx: NotificationContext): Notification[] {
  const facts = { app: result.app, environment: result.environment ?? ctx.environment, namespace: result.namespace };
  const durations = {
    totalMs: result.durationMs,
    phases: result.phases.filter((p) => p.outcome !== 'skipped').map((p) => ({ phase: phaseLabel(p), outcome: p.outcome, durationMs: p.durationMs })),
  };
  const kind = applyKind(result);
  if (!kind) return [];
  const failure = kind === 'apply.succeeded' ? undefined : failureOf(result);
  const seconds = formatSeconds(result.durationMs);
  const out = [
    build(kind, facts, ctx, result.startedAt, { durations, ...(failure ? { failure } : {}) }, (key) => {
      const what = `${key}: ${OUTCOME[kind]} ${describeCommit(ctx.commit)} in ${seconds}`;
      return failure ? `${what}: ${describeFailure(failure)}` : what;
    }),
  ];
  if (kind === 'apply.succeeded' && ctx.trigger === 'drift') {
    out.push(
      build('drift.corrected', facts, ctx, result.startedAt, { durations }, (key) => `${key}: drift corrected, ${describeCommit(ctx.commit)} applied again`),
    );
  }
  return out;
}

/** A drift check found live objects that differ from the app's bundle (`objects`: `Kind ns/name`). */
export function notificationOfDrift(app: AppFacts & { readonly objects: readonly string[] }, ctx: NotificationContext): Notification {
  const drifted = [...app.objects].sort();
  const shown = drifted.slice(0, 3).join(', ') + (drifted.length > 3 ? `, and ${drifted.length - 3} more` : '');
  return build(
    'drift.found',
    app,
    ctx,
    ctx.time,
    { drifted },
    (key) => `${key}: ${drifted.length} object${drifted.length === 1 ? '' : 's'} drifted from ${describeCommit(ctx.commit)}: ${shown}`,
  );
}

/** A status report could not be pushed after every retry (`startedAt`: the apply it reports on). */
export function notificationOfPushFailure(app: AppFacts & { readonly startedAt: string; readonly cause: string }, ctx: NotificationContext): Notification {
  return build(
    'status.push-failed',
    app,
    ctx,
    app.startedAt,
    {},
    (key) => `${key}: the status report of ${describeCommit(ctx.commit)} could not be pushed: ${app.cause}`,
  );
}

function applyKind(result: AppApplyResult): NotificationKind | undefined {
  switch (result.outcome) {
    case 'applied':
      return 'apply.succeeded';
    case 'interrupted':
      return 'apply.interrupted';
    case 'planned':
      return undefined;
    case 'failed': {
      const bad = firstBadPhase(result);
      return bad?.outcome === 'unschedulable' || bad?.outcome === 'refused' ? 'apply.rejected' : 'apply.failed';
    }
  }
}

function firstBadPhase(result: AppApplyResult): PhaseResult | undefined {
  return result.phases.find((p) => p.outcome !== 'ready' && p.outcome !== 'skipped');
}

/** The first phase that did not get ready, and its object that failed (or, for a timeout, did not get ready). */
function failureOf(result: AppApplyResult): NotificationFailure | undefined {
  const phase = firstBadPhase(result);
  if (!phase) return result.failure ? { phase: result.failure.phase, cause: result.failure.message } : undefined;
  const object = failingObject(phase.objects);
  const cause = object?.message || phase.reasons[0] || result.failure?.message || phase.outcome;
  return {
    phase: phaseLabel(phase),
    ...(object ? { object: formatRef(object.ref) } : {}),
    ...(object?.reason ? { reason: object.reason } : {}),
    cause,
    ...(object?.source ? { source: object.source } : {}),
  };
}

const BAD_STATES: ReadonlyArray<ObjectResult['state']> = ['failed', 'unschedulable'];

function failingObject(objects: readonly ObjectResult[]): ObjectResult | undefined {
  return (
    objects.find((o) => o.action === 'failed') ??
    objects.find((o) => BAD_STATES.includes(o.state)) ??
    objects.find((o) => o.state === 'progressing' || o.state === 'unknown')
  );
}

function build(
  kind: NotificationKind,
  app: AppFacts,
  ctx: NotificationContext,
  occurrence: string,
  extra: Pick<Notification, 'failure' | 'durations' | 'drifted'>,
  summary: (key: string) => string,
): Notification {
  const environment = app.environment ?? ctx.environment;
  const key = appKey({ name: app.app, ...(environment ? { environment } : {}) });
  const s = ctx.scrub;
  const commit: NotificationCommit = {
    sha: ctx.commit.sha,
    ...(ctx.commit.subject !== undefined ? { subject: s(ctx.commit.subject) } : {}),
    ...(ctx.commit.author !== undefined ? { author: s(ctx.commit.author) } : {}),
  };
  const failure = extra.failure && {
    phase: s(extra.failure.phase),
    ...(extra.failure.object ? { object: s(extra.failure.object) } : {}),
    ...(extra.failure.reason ? { reason: s(extra.failure.reason) } : {}),
    cause: s(extra.failure.cause),
    ...(extra.failure.source ? { source: s(extra.failure.source) } : {}),
  };
  return {
    id: idempotencyKey(kind, key, ctx.commit.sha, occurrence),
    kind,
    time: ctx.time,
    app: s(app.app),
    ...(environment ? { environment: s(environment) } : {}),
    key: s(key),
    namespace: s(app.namespace),
    commit,
    outcome: OUTCOME[kind],
    ...(ctx.trigger ? { trigger: ctx.trigger } : {}),
    ...(failure ? { failure } : {}),
    ...(extra.durations ? { durations: { totalMs: extra.durations.totalMs, phases: extra.durations.phases.map((p) => ({ ...p, phase: s(p.phase) })) } } : {}),
    ...(extra.drifted ? { drifted: extra.drifted.map(s) } : {}),
    ...(ctx.webViewUrl ? { link: s(ctx.webViewUrl.replace(/\/+$/, '') + appPath(key)) } : {}),
    summary: s(summary(key)),
  };
}

/**
 * The same event gives the same key, whichever attempt delivers it: its kind, app, commit and
 * the apply it belongs to (its start time; a drift check's time).
 */
function idempotencyKey(kind: NotificationKind, key: string, sha: string, occurrence: string): string {
  return createHash('sha256').update([kind, key, sha, occurrence].join('\0')).digest('hex').slice(0, 32);
}

function describeCommit(c: NotificationCommit): string {
  const sha = c.sha.slice(0, 12);
  return c.subject ? `${sha} "${oneLine(c.subject)}"` : sha;
}

/** `02-migrate: Job shop/migrate BackoffLimitExceeded: <cause> (kubemin.yaml:42)` */
export function describeFailure(f: NotificationFailure): string {
  const reason = f.reason && !f.cause.includes(f.reason) ? `${f.reason}: ` : '';
  return `${f.phase}: ${f.object ? `${f.object} ` : ''}${reason}${oneLine(f.cause)}${f.source ? ` (${f.source})` : ''}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
