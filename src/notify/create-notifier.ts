import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { NotifyConfig } from './config.js';
import { createDispatcher, type DispatcherOptions, type Notifier, type NotifyLog } from './dispatcher.js';
import { sinkTable } from './sinks/index.js';
import type { SinkDefinition } from './sinks/types.js';

export interface NotifierOptions extends Pick<DispatcherOptions, 'fetch' | 'retry' | 'random' | 'sleep'> {
  /** Where the notification metrics go: the daemon's registry (WatchMetrics.registry), or a new one. */
  readonly registry: Registry;
  readonly log: NotifyLog;
  /** kubemin's Redactor.scrub: what the notifier logs is scrubbed with it and with the config's own secrets. */
  readonly scrub: (text: string) => string;
  /** CloudEvents `source` when the config does not say (e.g. `kubemin/<repository>`); default `kubemin/<host name>`. */
  readonly source?: string;
  readonly sinks?: ReadonlyMap<string, SinkDefinition<any>>;
}

/** The notifier of a loaded config: one queue per sink, delivering in the background. */
export function createNotifier(config: NotifyConfig, opts: NotifierOptions): Notifier {
  const table = opts.sinks ?? sinkTable();
  const source = config.source ?? opts.source ?? `kubemin/${hostname()}`;
  const scrub = scrubbing(config.secrets, opts.scrub);
  const sinks = config.sinks.map((s) => ({
    sink: table.get(s.type)!.create(s.settings, { name: s.name, source }),
    route: s.route,
    timeoutMs: s.timeoutMs,
  }));
  return createDispatcher(sinks, {
    registry: opts.registry,
    log: opts.log,
    scrub,
    ...(config.queueSize ? { queueSize: config.queueSize } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
}

/** `scrub`, then the config's secrets in the forms a message may quote them (as written, URL-encoded, a URL's path and query). */
function scrubbing(secrets: readonly string[], scrub: (text: string) => string): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    forms.add(s);
    forms.add(encodeURIComponent(s));
    try {
      const url = new URL(s);
      if (url.pathname.length > 8) forms.add(url.pathname);
      if (url.search.length > 1) forms.add(url.search);
    } catch {
      // not a URL
    }
  }
  const sorted = [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((t, f) => t.split(f).join('***'), scrub(text));
}
