import type { EnvFromSpec } from '../../../expand/traits/env-from.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import { kubeName } from '../names.js';
import type { KcEnvFrom } from '../types.js';
import type { TraitConverter } from './types.js';

/** env_from -> envFrom. */
export const envFrom: TraitConverter = {
  name: 'env_from',
  kubemin: 'envFrom',
  scope: 'container',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcEnvFrom>(value, pointer, ctx.problems, 'env_from');
    if (!entries) return undefined;
    const out: EnvFromSpec[] = [];
    for (const e of entries) {
      const entry = envFromEntry(e, ctx);
      if (entry) out.push(entry);
      e.finish('an env_from entry');
    }
    return out.length ? out : undefined;
  },
};

function envFromEntry(e: JsonObject<KcEnvFrom>, ctx: ConvertContext): EnvFromSpec | undefined {
  const p = ctx.problems;
  const rawType = e.string('type');
  const rawSource = e.string('source_name');
  let type: EnvFromSpec['type'] | undefined;
  if (rawType === 'config' || rawType === 'secret') {
    type = rawType;
  } else if (rawType?.toLowerCase() === 'configmap') {
    // KubeMin-Cli's own documentation says "configMap"; its API accepts it, then the trait fails
    // and the component's workload is silently not deployed. What was meant is a ConfigMap.
    type = 'config';
    p.warn(
      e.at('type'),
      'env-from-configmap',
      `type ${quote(rawType)} is read as "config": KubeMin-Cli accepts it, then fails the trait and silently deploys nothing of the component`,
    );
  } else if (rawType === undefined) {
    p.error(e.at('type'), 'missing-field', 'an env_from entry needs a type: config or secret');
  } else {
    p.error(e.at('type'), 'invalid-value', `env_from type ${quote(rawType)} is not one of: config, secret`);
  }
  if (rawSource === undefined) p.error(e.at('source_name'), 'missing-field', 'an env_from entry needs a source_name: the ConfigMap or Secret');
  const sourceName = rawSource === undefined ? undefined : kubeName(rawSource, e.at('source_name'), p, 'source name');
  if (type === undefined || sourceName === undefined) return undefined;
  return { type, sourceName };
}
