import type { ContainerSpec } from '../../../expand/types.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import type { JsonObject } from '../json-object.js';
import { kubeName } from '../names.js';

/** The fields of an init or sidecar container, wherever KubeMin-Cli writes them. */
interface ContainerFields {
  image?: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
}

/**
 * An init or sidecar entry as kubemin writes it. `entry` holds the name and traits; `fields` the
 * image, command and env (for init entries, the `properties` object). KubeMin-Cli names an
 * unnamed one `<component>-<role>-<4 random characters>`, different at every deploy; kubemin
 * numbers it instead.
 */
export function extraContainer(
  entry: JsonObject<{ name?: string; traits?: unknown }>,
  fields: JsonObject<ContainerFields> | undefined,
  opts: { role: 'init' | 'sidecar'; index: number; imageAt: string },
  ctx: ConvertContext,
): ContainerSpec | undefined {
  const { role, index } = opts;
  const p = ctx.problems;
  const rawName = entry.string('name');
  let name: string | undefined;
  if (rawName === undefined) {
    name = `${ctx.component.name}-${role}-${index + 1}`;
    p.warn(
      entry.pointer,
      'generated-name',
      `the ${role} container has no name: KubeMin-Cli calls it ${quote(`${ctx.component.name}-${role}-`)} and 4 random characters, different at every deploy; kubemin calls it ${quote(name)}`,
    );
  } else {
    name = kubeName(rawName, entry.at('name'), p, `${role} container name`);
  }
  const image = fields?.string('image');
  if (image === undefined) {
    p.error(opts.imageAt, 'missing-image', `the ${role} container needs an image (KubeMin-Cli refuses it)`);
  }
  const command = fields?.stringList('command');
  // KubeMin-Cli's init containers have no args: there it is an unknown field.
  const args = role === 'sidecar' ? fields?.stringList('args') : undefined;
  const env = fields?.stringMap('env');
  const traits = name === undefined ? undefined : ctx.convertTraits(entry.raw('traits'), entry.at('traits'), { role, name });
  if (name === undefined || image === undefined) return undefined;
  return {
    name,
    image,
    ...(command?.length ? { command } : {}),
    ...(args?.length ? { args } : {}),
    ...(env && Object.keys(env).length ? { env } : {}),
    ...(traits ? { traits } : {}),
  };
}
