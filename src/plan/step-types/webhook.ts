import type { JsonValue } from '../../bundle/yaml-emit.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { dnsSubdomain, duration } from '../../spec/fragments.js';
import type { StepSpec } from '../../spec/types.js';
import type { StepPlanContext, StepTypeDef } from '../types.js';

/** How a webhook step waits: for the request's own 2xx answer, or for a decision it polls for. */
type WebhookWait = 'response' | 'callback';

/** A key of a Secret in the app's namespace, read at apply time. */
export interface WebhookSecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** A header whose value is read from a Secret of the app's namespace at apply time. */
export interface WebhookHeaderFrom {
  readonly name: string;
  readonly secretKeyRef: WebhookSecretKeyRef;
}

/** Where the HMAC-SHA256 key that signs the request body is read from at apply time. */
interface WebhookSignatureFrom {
  readonly secretKeyRef: WebhookSecretKeyRef;
}

/** The header of the body's signature, as the notification webhook sink's (and GitHub's X-Hub-Signature-256). */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Kubemin-Signature-256';

/** The phase parameters of a webhook step (plan.json `params`): never a secret value, only where to read them. */
export interface WebhookParams {
  readonly url: string;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  readonly headers?: Readonly<Record<string, string>>;
  readonly headersFrom?: readonly WebhookHeaderFrom[];
  readonly signatureFrom?: WebhookSignatureFrom;
  readonly body?: Readonly<Record<string, JsonValue>>;
  readonly wait: WebhookWait;
  readonly pollInterval?: string;
  readonly retries: number;
}

/** Attributes of the CloudEvent kubemin sends: `body` may not set them. */
const WEBHOOK_EVENT_FIELDS: readonly string[] = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'];

/** Headers that carry credentials: a spec in git must not hold them in the open. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

const DEFAULT_RETRIES = 2;

/** The schema of a `secretKeyRef`: a key of a Secret in the app's namespace. */
function secretKeyRef(description: string): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'key'],
    description,
    properties: {
      name: { ...dnsSubdomain, description: "The Secret, in the app's namespace." },
      key: { type: 'string', format: 'config-key', description: 'The key in the Secret.' },
    },
  };
}

/**
 * A call to another system when its phase is reached: `kubemin apply` (and `kubemin watch`) sends
 * a CloudEvent (`dev.kubemin.phase.reached`) to `url` and goes on to the next phase only when it
 * answers 2xx (`wait: response`), or, with `wait: callback`, when the URL it answers with
 * (202 + Location) says `{"status": "succeeded"}`. Polled, not called back: an apply from CI or
 * the daemon needs no inbound port. `--dry-run`, `plan` and `diff` never call it.
 */
export const webhook: StepTypeDef = {
  name: 'webhook',
  description:
    'Calls a URL when its phase is reached (a CloudEvent dev.kubemin.phase.reached) and goes on only when it answers 2xx (wait: response), or when the status URL it answers with says succeeded (wait: callback): an approval, a smoke test. Never called by --dry-run, plan or diff.',
  properties: {
    url: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$',
      patternErrorMessage: 'must be an http:// or https:// URL without spaces, e.g. https://ci.example.com/hooks/kubemin',
      description:
        'Where the request goes: an http:// or https:// URL. No user name or password in it (the spec is in git): send credentials in a header with headersFrom.',
    },
    method: { enum: ['POST', 'PUT', 'PATCH', 'GET'], default: 'POST', description: 'The HTTP method (default POST). GET sends no payload.' },
    headers: {
      type: 'object',
      propertyNames: { format: 'http-header-name' },
      additionalProperties: { type: 'string', errorMessage: 'header values must be strings; quote numbers and booleans' },
      description: 'Headers sent as written (not for credentials: Authorization, Proxy-Authorization and Cookie go in headersFrom).',
    },
    headersFrom: {
      type: 'array',
      minItems: 1,
      description: "Headers whose values are read from a Secret of the app's namespace when the phase is reached: never written to the bundle or printed.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'secretKeyRef'],
        properties: {
          name: { type: 'string', format: 'http-header-name', description: 'The header name, e.g. Authorization.' },
          secretKeyRef: secretKeyRef(
            'The Secret key holding the header\'s whole value (e.g. "Bearer abc..."); surrounding blanks and a final newline are dropped.',
          ),
        },
      },
    },
    signatureFrom: {
      type: 'object',
      additionalProperties: false,
      required: ['secretKeyRef'],
      description: `Signs the request so that the receiver can check it comes from kubemin: header ${WEBHOOK_SIGNATURE_HEADER}: sha256=<hex of HMAC-SHA256 of the body sent>, as GitHub's X-Hub-Signature-256, with a key read from a Secret of the app's namespace when the phase is reached (never written to the bundle or printed). Not with method GET: it sends no body to sign.`,
      properties: {
        secretKeyRef: secretKeyRef('The Secret key holding the HMAC key; surrounding blanks and a final newline are dropped.'),
      },
    },
    body: {
      type: 'object',
      description:
        "Fields added to the payload (the CloudEvent's top level), e.g. event_type for a GitHub repository_dispatch; the CloudEvent's own attributes (id, type, data...) cannot be set.",
    },
    wait: {
      enum: ['response', 'callback'],
      default: 'response',
      description:
        'response (default): the phase is ready when the request is answered 2xx. callback: the answer is 202 with a Location to poll (GET) until it says {"status": "succeeded"} (or "failed", with a "message"); "pending" goes on polling; or the answer itself carries the status.',
    },
    pollInterval: {
      ...duration,
      description: 'wait: callback: how often the Location is polled (default 5s; a Retry-After header of the answer wins).',
    },
    retries: {
      type: 'integer',
      minimum: 0,
      maximum: 10,
      description: `How often a request is sent again after a connection error, a 429 or a 5xx answer, waiting 1s, 2s, 4s... (default ${DEFAULT_RETRIES}). The phase's timeout bounds it all.`,
    },
  },
  required: ['url'],
  plan(step, ctx) {
    const params = webhookParams(step);
    const diagnostics = [...checkUrl(params.url, ctx), ...checkHeaders(params, ctx), ...checkSignature(params, ctx), ...checkBody(params, ctx)];
    return { phases: [{ name: step.name, mode: 'serial', components: [], params: params as unknown as Record<string, JsonValue> }], diagnostics };
  },
};

/** The step's fields with their defaults, as the executor reads them back from the plan. */
function webhookParams(step: StepSpec): WebhookParams {
  return {
    url: String(step.url),
    method: (step.method as WebhookParams['method'] | undefined) ?? 'POST',
    ...(step.headers !== undefined ? { headers: step.headers as Record<string, string> } : {}),
    ...(step.headersFrom !== undefined ? { headersFrom: step.headersFrom as WebhookHeaderFrom[] } : {}),
    ...(step.signatureFrom !== undefined ? { signatureFrom: step.signatureFrom as WebhookSignatureFrom } : {}),
    ...(step.body !== undefined ? { body: step.body as Record<string, JsonValue> } : {}),
    wait: (step.wait as WebhookWait | undefined) ?? 'response',
    ...(step.pollInterval !== undefined ? { pollInterval: String(step.pollInterval) } : {}),
    retries: (step.retries as number | undefined) ?? DEFAULT_RETRIES,
  };
}

function checkUrl(url: string, ctx: StepPlanContext): PendingDiagnostic[] {
  const pointer = joinPointer(ctx.pointer, 'url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ severity: 'error', code: 'invalid-value', message: '"url" is not a URL', hint: 'write it like https://ci.example.com/hooks/kubemin', pointer }];
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return [{ severity: 'error', code: 'invalid-value', message: `"url" must be http:// or https://, not ${parsed.protocol}//`, pointer }];
  }
  if (parsed.username || parsed.password) {
    // The message does not repeat the URL: it holds the credentials.
    return [
      {
        severity: 'error',
        code: 'webhook-url-credentials',
        message: '"url" carries a user name or password (user:password@host): the spec is in git, credentials must not be',
        hint: 'remove them from the URL and send them in a header read from a Secret: headersFrom: [{name: Authorization, secretKeyRef: {name: ..., key: ...}}]',
        pointer,
      },
    ];
  }
  return [];
}

function checkHeaders(params: WebhookParams, ctx: StepPlanContext): PendingDiagnostic[] {
  const out: PendingDiagnostic[] = [];
  const seen = new Map<string, string>();
  const note = (name: string, pointer: string, atKey = false): void => {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined)
      out.push({
        severity: 'error',
        code: 'duplicate-header',
        message: `header "${name}" is set twice`,
        hint: `set each header once, in headers or in headersFrom (signatureFrom sets ${WEBHOOK_SIGNATURE_HEADER})`,
        pointer,
        related: [{ message: 'first set here', pointer: first }],
        ...(atKey ? { atKey } : {}),
      });
    else seen.set(name.toLowerCase(), pointer);
  };
  for (const name of Object.keys(params.headers ?? {})) {
    const pointer = joinPointer(ctx.pointer, 'headers', name);
    if (CREDENTIAL_HEADERS.has(name.toLowerCase()))
      out.push({
        severity: 'error',
        code: 'webhook-header-credentials',
        message: `header "${name}" carries credentials: the spec is in git, its value must not be`,
        hint: `read it from a Secret: headersFrom: [{name: ${name}, secretKeyRef: {name: ..., key: ...}}]`,
        pointer,
        atKey: true,
      });
    note(name, pointer);
  }
  (params.headersFrom ?? []).forEach((h, i) => note(h.name, joinPointer(ctx.pointer, 'headersFrom', i, 'name')));
  if (params.signatureFrom) note(WEBHOOK_SIGNATURE_HEADER, joinPointer(ctx.pointer, 'signatureFrom'), true);
  return out;
}

/**
 * signatureFrom with method GET is refused rather than signing the empty body: a receiver checks
 * the signature to trust what the request says, and a GET says nothing. Its signature would be
 * the same for every call (HMAC of ""), a fixed token anyone who saw one request could replay,
 * while the receiver believes the call is authenticated. A fixed token belongs in headersFrom.
 */
function checkSignature(params: WebhookParams, ctx: StepPlanContext): PendingDiagnostic[] {
  if (!params.signatureFrom || params.method !== 'GET') return [];
  return [
    {
      severity: 'error',
      code: 'webhook-signature-without-body',
      message: `"signatureFrom" signs the request body, and method GET sends none: the ${WEBHOOK_SIGNATURE_HEADER} header would be the same for every call`,
      hint: 'use method POST (the default), PUT or PATCH to send a signed CloudEvent, or send a token with headersFrom',
      pointer: joinPointer(ctx.pointer, 'signatureFrom'),
      atKey: true,
    },
  ];
}

function checkBody(params: WebhookParams, ctx: StepPlanContext): PendingDiagnostic[] {
  return Object.keys(params.body ?? {})
    .filter((k) => WEBHOOK_EVENT_FIELDS.includes(k))
    .map((k) => ({
      severity: 'error' as const,
      code: 'webhook-body-reserved',
      message: `"body" cannot set "${k}": kubemin sets the CloudEvent's ${k}`,
      hint: `the event's attributes are ${WEBHOOK_EVENT_FIELDS.join(', ')}; give the field another name`,
      pointer: joinPointer(ctx.pointer, 'body', k),
      atKey: true,
    }));
}
