import { Registry } from 'prom-client';
import { parseNotifyConfig } from '../../src/notify/config.js';
import { createNotifier, type NotifierOptions } from '../../src/notify/create-notifier.js';
import type { Notifier } from '../../src/notify/dispatcher.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A notifier made from a config's text, logging into `logs`, with fast retries (1-5 ms). */
export function notifierFrom(
  yaml: string,
  env: Record<string, string>,
  opts: Partial<NotifierOptions> = {},
): { notifier: Notifier; logs: LogLine[]; registry: Registry; secrets: readonly string[] } {
  const { config, diagnostics } = parseNotifyConfig(yaml, '/etc/kubemin/notify.yaml', { env });
  if (!config) throw new Error(`config not valid: ${JSON.stringify(diagnostics)}`);
  const logs: LogLine[] = [];
  const registry = opts.registry ?? new Registry();
  const notifier = createNotifier(config, {
    registry,
    log: (level, message, fields) => logs.push({ level, message, fields }),
    scrub: (t) => t,
    source: 'kubemin/test',
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...opts,
  });
  return { notifier, logs, registry, secrets: config.secrets };
}

/** The value of a metric series, 0 when absent. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return found?.value ?? 0;
}
