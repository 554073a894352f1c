import { createHmac } from 'node:crypto';
import { NOTIFICATION_KINDS, type Notification } from '../notification.js';
import { secretProperties, type SinkDefinition } from './types.js';

interface WebhookSettings {
  readonly url: string;
  /** HMAC-SHA256 key of the signature header. */
  readonly hmacKey?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** The signature header, as GitHub's X-Hub-Signature-256: `sha256=<hex of HMAC-SHA256(key, body)>`. */
const SIGNATURE_HEADER = 'X-Kubemin-Signature-256';

/** Header names whose value is a credential: never written in the config itself. */
const SENSITIVE_HEADER = /authorization|token|key|secret|password|cookie|signature/i;

/** The CloudEvents 1.0 event (structured mode) of a notification: `type` `dev.kubemin.<kind>`. */
function cloudEvent(n: Notification, source: string): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: n.id,
    source,
    type: `dev.kubemin.${n.kind}`,
    subject: n.key,
    time: n.time,
    datacontenttype: 'application/json',
    data: n,
  };
}

function signature(key: string, body: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/** A generic HTTP endpoint: a CloudEvents 1.0 structured-mode JSON POST, optionally signed. */
export const webhookSink: SinkDefinition<WebhookSettings> = {
  type: 'webhook',
  description: 'HTTP POST of a CloudEvents 1.0 JSON event, optionally signed with HMAC-SHA256',
  handles: NOTIFICATION_KINDS,
  defaultEvents: NOTIFICATION_KINDS,
  properties: {
    ...secretProperties('url', 'URL to POST to', 'url'),
    ...secretProperties('secret', 'HMAC-SHA256 key of the signature header', 'never'),
    headers: {
      type: 'array',
      description: 'Extra request headers; a credential is read from a file or an environment variable',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" }, ...secretProperties('value', 'Header value', 'allowed') },
      },
    },
  },
  required: [],
  resolve(entry, ctx) {
    const url = ctx.secret(entry, 'url', { required: true, plain: 'url' });
    const hmacKey = ctx.secret(entry, 'secret', { required: false, plain: 'never' });
    const headers: Array<readonly [string, string]> = [];
    let ok = url !== undefined;
    const list = (entry.headers ?? []) as Array<Record<string, unknown>>;
    list.forEach((h, i) => {
      const name = String(h.name);
      const at = `/headers/${i}`;
      if (h.value !== undefined && SENSITIVE_HEADER.test(name)) {
        ctx.problem(
          `${at}/value`,
          'notify-secret-in-config',
          `the header ${name} holds a credential, written in the config`,
          'read it from a file (valueFile) or an environment variable (valueEnv)',
        );
        ok = false;
        return;
      }
      const value = ctx.secret(h, 'value', { required: true, plain: 'allowed', at });
      if (value === undefined) ok = false;
      else headers.push([name, value]);
    });
    if (!ok || url === undefined) return undefined;
    return { url, ...(hmacKey !== undefined ? { hmacKey } : {}), headers };
  },
  create(settings, ctx) {
    return {
      name: ctx.name,
      type: 'webhook',
      async deliver(n, post) {
        const body = JSON.stringify(cloudEvent(n, ctx.source));
        const headers: Record<string, string> = Object.fromEntries(settings.headers);
        headers['Content-Type'] = 'application/cloudevents+json; charset=utf-8';
        headers['X-Kubemin-Event'] = n.kind;
        headers['X-Kubemin-Delivery'] = n.id;
        if (settings.hmacKey !== undefined) headers[SIGNATURE_HEADER] = signature(settings.hmacKey, body);
        await post(settings.url, body, headers);
      },
    };
  },
};
