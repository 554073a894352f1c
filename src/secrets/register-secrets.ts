import type { CompiledApp } from '../compile.js';
import { objectSecrets } from './object-secrets.js';
import { publicObjectStrings } from './public-strings.js';
import { Redactor, type SecretSink } from './redactor.js';

/**
 * Registers the specs' secret values (those a spec also writes in the open were left out by
 * specSecrets) and those of the Secrets the apps render (a plugin's too), but for the ones the
 * objects also show in the open (an object's name, a namespace): masking them would hide every
 * name that holds them.
 */
export function registerSecrets(sink: SecretSink | undefined, values: readonly string[], apps: readonly CompiledApp[]): void {
  if (!sink) return;
  for (const v of values) sink.add(v);
  const objects = apps.flatMap((a) => a.phases.flatMap((p) => p.objects.map((o) => o.object)));
  const found = objectSecrets(objects);
  if (!found.length) return;
  const spec = new Set(values);
  const open = publicObjectStrings(objects);
  for (const v of found) if (spec.has(v) || !open.has(v)) sink.add(v);
}

/** A redactor of one app's secret values (its spec's and its Secrets'), for others' messages about it. */
export function appRedactor(app: CompiledApp): Redactor {
  const redactor = new Redactor();
  registerSecrets(redactor, app.secrets ?? [], [app]);
  return redactor;
}
