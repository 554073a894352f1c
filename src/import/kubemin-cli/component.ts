import { closest } from '../../diagnostics/did-you-mean.js';
import { RESERVED_LABELS } from '../../expand/labels.js';
import { orList, quote, someOf } from '../../k8s/formats/quote.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ComponentSpec, PortSpec } from '../../spec/types.js';
import { COMPONENT_KINDS, type AppInfo, type ComponentInfo, type ConvertContext, type KcComponentKind } from './context.js';
import { convertTraits } from './convert-traits.js';
import { JsonObject, type JsonItem } from './json-object.js';
import { kubeName } from './names.js';
import type { Problems } from './problems.js';
import type { KcComponent, KcProperties } from './types.js';

/**
 * What every converter may need to know about the components before any is converted (names,
 * types and Service ports, e.g. for an ingress route to another component). Read leniently:
 * the conversion reports the problems.
 */
export function identifyComponents(items: readonly JsonItem[]): ComponentInfo[] {
  return items.map((item) => {
    const c = (item.value ?? {}) as Record<string, unknown>;
    const inputName = typeof c.name === 'string' ? c.name : '';
    const type = COMPONENT_KINDS.find((k) => k === c.type);
    const props = (c.properties ?? {}) as Record<string, unknown>;
    const hasService = type === 'webservice' || type === 'store';
    const ports =
      hasService && Array.isArray(props.ports)
        ? props.ports.map((p: unknown) => (p as { port?: unknown } | null)?.port).filter((p): p is number => Number.isInteger(p) && (p as number) > 0)
        : [];
    return { name: inputName.toLowerCase(), inputName, type, ports, pointer: item.pointer };
  });
}

/** One component; undefined when it cannot be converted (the errors say why). */
export function convertComponent(c: JsonObject<KcComponent>, info: ComponentInfo, app: AppInfo, problems: Problems): ComponentSpec | undefined {
  const rawName = c.string('name');
  const rawType = c.string('type');
  if (rawName === undefined) problems.error(c.at('name'), 'missing-name', 'a component needs a name');
  const name = rawName === undefined ? undefined : kubeName(rawName, c.at('name'), problems, 'component name');
  const what = `component ${quote(rawName ?? '')}`;
  const type = componentType(rawType, c.at('type'), what, problems);
  if (c.has('template')) {
    problems.error(
      c.at('template'),
      'template-unsupported',
      `${what} is cloned from a template application, which is in KubeMin-Cli's database: import the template's components instead`,
    );
  }
  const namespace = c.string('namespace');
  if (namespace !== undefined && namespace !== app.namespace) {
    problems.warn(
      c.at('namespace'),
      'namespace-dropped',
      `${what} is deployed to the application's namespace ${quote(app.namespace)} (by KubeMin-Cli too), not ${quote(namespace)} (dropped)`,
    );
  }
  const props = c.object<KcProperties>('properties');
  // Without a name and a type there is nothing to convert (and the errors say why).
  if (name === undefined || type === undefined) return undefined;
  const ctx: ConvertContext = {
    problems,
    app,
    component: info,
    container: { role: 'main', name },
    policies: {},
    convertTraits: (raw, pointer, container) => convertTraits(raw, pointer, { ...ctx, container }),
  };
  const spec: ComponentSpec = type === 'webservice' || type === 'store' ? workload(c, props, name, type, ctx) : configOrSecret(c, props, name, type, ctx);
  props?.finish(`the properties of ${what}`);
  c.finish(what);
  return spec;
}

function componentType(raw: string | undefined, pointer: string, what: string, problems: Problems): KcComponentKind | undefined {
  if (raw === undefined) {
    problems.error(pointer, 'missing-type', `${what} needs a type: ${orList([...COMPONENT_KINDS])}`);
    return undefined;
  }
  const type = COMPONENT_KINDS.find((k) => k === raw);
  if (type === undefined) {
    const guess = closest(raw, COMPONENT_KINDS);
    problems.error(
      pointer,
      'invalid-value',
      `${what} has type ${quote(raw)}, which is not one of: ${COMPONENT_KINDS.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`,
    );
  }
  return type;
}

/** webservice -> webservice (Deployment), store -> store (StatefulSet); both get a Service with ports. */
function workload(
  c: JsonObject<KcComponent>,
  props: JsonObject<KcProperties> | undefined,
  name: string,
  type: 'webservice' | 'store',
  ctx: ConvertContext,
): ComponentSpec {
  const p = ctx.problems;
  const spec: ComponentSpec = { name, type };
  const image = c.string('image');
  const propsImage = props?.string('image');
  if (image !== undefined) {
    spec.image = image;
    if (propsImage !== undefined && propsImage !== image) {
      p.warn(props!.at('image'), 'field-unused', `properties.image is not the component's image (KubeMin-Cli uses ${quote(image)}; dropped)`);
    }
  } else if (propsImage !== undefined) {
    spec.image = propsImage;
    p.warn(props!.at('image'), 'image-from-properties', `the component's image is read from properties.image: KubeMin-Cli refuses a ${type} without "image"`);
  } else {
    p.error(c.at('image'), 'missing-image', `a ${type} component needs an image (KubeMin-Cli refuses it too)`);
  }
  const replicas = c.int('replicas');
  if (replicas !== undefined && replicas > 0) spec.replicas = replicas;
  else if (replicas !== undefined && replicas < 0) p.warn(c.at('replicas'), 'invalid-value', `replicas ${replicas} is read as 1, as KubeMin-Cli reads it`);
  const ports = servicePorts(props, p);
  if (ports.length) {
    spec.ports = ports;
    selectorWarning(props!, ctx);
  }
  const command = props?.stringList('command');
  if (command?.length) spec.command = command;
  const env = props?.stringMap('env');
  if (env && Object.keys(env).length) spec.env = env;
  const labels = componentLabels(props, p);
  if (labels) spec.labels = labels;
  props?.drop('conf', 'field-unused', `"conf" only has a meaning on a config component (KubeMin-Cli ignores it on a ${type}; dropped)`);
  props?.drop('secret', 'field-unused', `"secret" only has a meaning on a secret component (KubeMin-Cli ignores it on a ${type}; dropped)`);
  const traits = convertTraits(c.raw('traits'), c.at('traits'), ctx);
  if (ctx.policies.allowClusterScope) spec.policies = { allowClusterScope: true };
  if (traits) spec.traits = traits;
  return spec;
}

/** config -> config (ConfigMap from properties.conf), secret -> secret (Secret from properties.secret). */
function configOrSecret(
  c: JsonObject<KcComponent>,
  props: JsonObject<KcProperties> | undefined,
  name: string,
  type: 'config' | 'secret',
  ctx: ConvertContext,
): ComponentSpec {
  const unused = (field: string): string => `"${field}" has no meaning for a ${type} component (KubeMin-Cli ignores it; dropped)`;
  c.drop('image', 'field-unused', unused('image'));
  const replicas = c.int('replicas');
  if (replicas !== undefined && replicas > 1) c.drop('replicas', 'field-unused', unused('replicas'));
  c.drop('traits', 'field-unused', unused('traits'));
  props?.drop('image', 'field-unused', unused('image'));
  props?.drop('command', 'field-unused', unused('command'));
  props?.drop('env', 'field-unused', unused('env'));
  props?.drop(
    'ports',
    'field-unused',
    `KubeMin-Cli makes a Service selecting every pod of the application for a ${type} component with ports; kubemin has no Service without a workload (dropped)`,
  );
  const spec: ComponentSpec = { name, type };
  if (type === 'config') {
    spec.data = props?.stringMap('conf') ?? {};
    props?.drop('secret', 'field-unused', '"secret" only has a meaning on a secret component (KubeMin-Cli ignores it on a config; dropped)');
  } else {
    spec.stringData = props?.stringMap('secret', { secret: true }) ?? {};
    props?.drop('conf', 'field-unused', '"conf" only has a meaning on a config component (KubeMin-Cli ignores it on a secret; dropped)');
  }
  const labels = componentLabels(props, ctx.problems);
  if (labels) spec.labels = labels;
  return spec;
}

function servicePorts(props: JsonObject<KcProperties> | undefined, problems: Problems): PortSpec[] {
  const out: PortSpec[] = [];
  for (const p of props?.objects<{ port?: number }>('ports', 'a port') ?? []) {
    const port = p.int('port');
    if (port === undefined || port < 1 || port > 65535) problems.error(p.at('port'), 'invalid-port', 'a port needs "port", a number from 1 to 65535');
    else out.push({ port });
    p.finish('a port');
  }
  return out;
}

/** properties.labels -> labels, without the ones kubemin owns (its selectors rely on them). */
function componentLabels(props: JsonObject<KcProperties> | undefined, problems: Problems): Record<string, string> | undefined {
  const labels = props?.stringMap('labels');
  if (!labels) return undefined;
  for (const key of Object.keys(labels)) {
    if ((RESERVED_LABELS as readonly string[]).includes(key)) {
      problems.warn(joinPointer(props!.at('labels'), key), 'reserved-label', `label "${key}" is set by kubemin and cannot be overridden (dropped)`);
      delete labels[key];
    }
  }
  return Object.keys(labels).length ? labels : undefined;
}

/** KubeMin-Cli's Service selects by the application's labels: every pod of the app, not just this component's. */
function selectorWarning(props: JsonObject<KcProperties>, ctx: ConvertContext): void {
  // The first few other workloads are named (found without a pass over all of them: big apps stay linear).
  const NAMED = 3;
  const named: ComponentInfo[] = [];
  for (const o of ctx.app.components) {
    if (named.length > NAMED) break;
    if (o !== ctx.component && (o.type === 'webservice' || o.type === 'store')) named.push(o);
  }
  if (!named.length) return;
  const total = workloadCount(ctx.app.components) - (ctx.component.type === 'webservice' || ctx.component.type === 'store' ? 1 : 0);
  const names = named.slice(0, NAMED).map((o) => quote(o.name));
  ctx.problems.warn(
    props.at('ports'),
    'service-selector',
    `KubeMin-Cli's Service ${quote(ctx.component.name)} selects every pod of the application, so it also sent traffic to ${someOf(names, total, 'and')}; kubemin's selects only this component's pods`,
  );
}

const workloads = new WeakMap<readonly ComponentInfo[], number>();

/** How many components of the app run pods (counted once per app). */
function workloadCount(components: readonly ComponentInfo[]): number {
  let n = workloads.get(components);
  if (n === undefined) {
    n = components.filter((o) => o.type === 'webservice' || o.type === 'store').length;
    workloads.set(components, n);
  }
  return n;
}
