import type { EnvSpec } from '../../../expand/traits/envs.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import { kubeName } from '../names.js';
import type { KcEnv } from '../types.js';
import type { TraitConverter } from './types.js';

type Source = 'static' | 'field' | 'secret' | 'config';
/** KubeMin-Cli takes the first source set, in this order. */
const SOURCES: readonly Source[] = ['static', 'field', 'secret', 'config'];
type ValueFrom = NonNullable<KcEnv['value_from']>;
type KeyRef = { name?: string; key?: string };

/** envs -> envs: `value_from.static` becomes `value`, the others `valueFrom`. */
export const envs: TraitConverter = {
  name: 'envs',
  kubemin: 'envs',
  scope: 'container',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcEnv>(value, pointer, ctx.problems, 'envs');
    if (!entries) return undefined;
    const out: EnvSpec[] = [];
    for (const e of entries) {
      const entry = envEntry(e, ctx);
      if (entry) out.push(entry);
      e.finish('an envs entry');
    }
    return out.length ? out : undefined;
  },
};

function envEntry(e: JsonObject<KcEnv>, ctx: ConvertContext): EnvSpec | undefined {
  const p = ctx.problems;
  const name = e.string('name');
  if (name === undefined) p.error(e.at('name'), 'missing-field', 'an envs entry needs a name');
  const from = e.object<ValueFrom>('value_from');
  if (!from) {
    if (!e.has('value_from')) p.error(e.at('value_from'), 'missing-field', `env ${quote(name ?? '')} needs value_from: static, secret, config or field`);
    return undefined;
  }
  const present = SOURCES.filter((s) => from.has(s));
  const [chosen, ...rest] = present;
  for (const s of rest) {
    p.warn(from.at(s), 'env-sources', `env ${quote(name ?? '')} has more than one source; KubeMin-Cli uses "${chosen}", so "${s}" is dropped`);
  }
  let out: EnvSpec | undefined;
  switch (chosen) {
    case 'static': {
      const v = from.raw('static');
      if (typeof v === 'string') out = { name: name ?? '', value: v };
      else if (typeof v === 'number' || typeof v === 'boolean') {
        out = { name: name ?? '', value: String(v) };
        p.warn(
          from.at('static'),
          'not-a-string',
          `"static" is a ${typeof v}, not a string (KubeMin-Cli refuses it); written as the string ${quote(String(v))}`,
        );
      } else p.error(from.at('static'), 'wrong-type', '"static" must be a string');
      break;
    }
    case 'field': {
      const field = from.string('field');
      if (field !== undefined) out = { name: name ?? '', valueFrom: { field } };
      else p.error(from.at('field'), 'missing-field', '"field" must name a pod field, e.g. metadata.namespace');
      break;
    }
    case 'secret':
    case 'config': {
      const ref = keyRef(from.object<KeyRef>(chosen), chosen, ctx);
      if (ref) out = { name: name ?? '', valueFrom: { [chosen]: ref } };
      break;
    }
    case undefined:
      p.error(
        from.pointer,
        'missing-field',
        `env ${quote(name ?? '')} needs one source in value_from: static, secret, config or field (KubeMin-Cli refuses it)`,
      );
      break;
    default: {
      const never: never = chosen;
      throw new Error(`unknown env source ${String(never)}`);
    }
  }
  for (const s of rest) from.ignore(s);
  from.finish('value_from');
  return name === undefined ? undefined : out;
}

function keyRef(ref: JsonObject<KeyRef> | undefined, kind: 'secret' | 'config', ctx: ConvertContext): { name: string; key: string } | undefined {
  if (!ref) return undefined;
  const what = kind === 'secret' ? 'Secret' : 'ConfigMap';
  const rawName = ref.string('name');
  const key = ref.string('key');
  if (rawName === undefined) ctx.problems.error(ref.at('name'), 'missing-field', `"${kind}" needs the name of the ${what}`);
  if (key === undefined) ctx.problems.error(ref.at('key'), 'missing-field', `"${kind}" needs the key in the ${what}`);
  const name = rawName === undefined ? undefined : kubeName(rawName, ref.at('name'), ctx.problems, `${what} name`);
  ref.finish(`value_from.${kind}`);
  return name === undefined || key === undefined ? undefined : { name, key };
}
