import type { JsonSchema } from '../../spec/json-schema.js';
import type { Notification, NotificationKind } from '../notification.js';
import type { PostJson } from './http.js';

/** Where notifications go, made from one entry of the config's `sinks`. */
export interface Sink {
  readonly name: string;
  readonly type: string;
  /**
   * Delivers one notification: resolves when it was accepted, throws a DeliveryError otherwise
   * (the dispatcher retries the retryable ones, with the same notification and so the same id).
   */
  deliver(n: Notification, post: PostJson): Promise<void>;
}

/** What every sink is made with, besides its own settings. */
interface SinkContext {
  readonly name: string;
  /** CloudEvents `source`: `kubemin/<host or repository>`. */
  readonly source: string;
}

/** How a sink's settings are read from its config entry (config.ts provides it). */
export interface ResolveContext {
  /** JSON pointer of the sink's entry, e.g. `/sinks/0`. */
  readonly pointer: string;
  /**
   * A secret written as `<field>File` (a file's content, trimmed) or `<field>Env` (an env var), or,
   * when `plain` allows it, as `<field>` itself. Undefined (with a problem reported) when it cannot
   * be read, or when it is missing and `required`.
   */
  secret(entry: Record<string, unknown>, field: string, opts: { required: boolean; plain: PlainValue; at?: string }): string | undefined;
  /** Reports a problem at a field of the entry (a pointer relative to it, e.g. `/url`). */
  problem(at: string, code: string, message: string, hint?: string): void;
}

/**
 * Whether a secret field may be written in the config itself: `never` (its value is a credential,
 * e.g. a Slack URL or a token), or `url` (a URL without userinfo or a query token).
 */
export type PlainValue = 'never' | 'url' | 'allowed';

/** One sink type: its config fields, how they are read, and the sink it makes. */
export interface SinkDefinition<C = unknown> {
  readonly type: string;
  readonly description: string;
  /** The kinds it can say something about. */
  readonly handles: readonly NotificationKind[];
  /** The kinds it gets when its entry has no `events`. */
  readonly defaultEvents: readonly NotificationKind[];
  /** Its own fields (besides name, type, the filters and timeoutMs), as JSON Schema. */
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly required: readonly string[];
  /** Its settings from a valid entry; undefined when a problem was reported. */
  resolve(entry: Record<string, unknown>, ctx: ResolveContext): C | undefined;
  create(settings: C, ctx: SinkContext): Sink;
}

/** The schema of a secret field's three forms. */
export function secretProperties(field: string, description: string, plain: PlainValue): Record<string, JsonSchema> {
  return {
    ...(plain !== 'never' ? { [field]: { type: 'string', minLength: 1, description } } : {}),
    [`${field}File`]: { type: 'string', minLength: 1, description: `A file holding the ${description.toLowerCase()}` },
    [`${field}Env`]: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: `An environment variable holding the ${description.toLowerCase()}` },
  };
}

/** At most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
