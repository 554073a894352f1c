import { REWRITE_ANNOTATION, type IngressSpec, type RouteSpec } from '../../../expand/traits/ingress.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ComponentInfo, ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import { kubeName } from '../names.js';
import type { KcIngress, KcIngressRoute } from '../types.js';
import type { TraitConverter } from './types.js';

/** KubeMin-Cli's port when a route names none. */
const DEFAULT_SERVICE_PORT = 80;
const USE_REGEX_ANNOTATION = 'nginx.ingress.kubernetes.io/use-regex';

type PathType = NonNullable<RouteSpec['pathType']>;
type Backend = NonNullable<KcIngressRoute['backend']>;
type Rewrite = NonNullable<KcIngressRoute['rewrite']>;

/** A route as read, with what the whole Ingress needs to know about its rewrite. */
interface ReadRoute {
  readonly route: RouteSpec;
  readonly input: JsonObject<KcIngressRoute>;
  readonly regex: boolean;
}

/**
 * ingress -> ingress. The Ingress is named `<component>` (then `-2`, `-3`) as kubemin names it,
 * not `<component>-ingress-<appId>`, unless the entry has a name.
 */
export const ingress: TraitConverter = {
  name: 'ingress',
  kubemin: 'ingress',
  scope: 'pod',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcIngress>(value, pointer, ctx.problems, 'ingress');
    if (!entries) return undefined;
    const out: IngressSpec[] = [];
    for (const e of entries) {
      const entry = ingressEntry(e, ctx);
      if (entry) out.push(entry);
      e.finish('an ingress entry');
    }
    return out.length ? out : undefined;
  },
};

function ingressEntry(e: JsonObject<KcIngress>, ctx: ConvertContext): IngressSpec | undefined {
  const p = ctx.problems;
  const out: IngressSpec = {};
  const rawName = e.string('name');
  if (rawName !== undefined) {
    const name = kubeName(rawName, e.at('name'), p, 'ingress name');
    if (name === undefined) return undefined;
    out.name = name;
  }
  const namespace = e.string('namespace');
  if (namespace !== undefined && namespace !== ctx.app.namespace) {
    p.warn(
      e.at('namespace'),
      'namespace-dropped',
      `the Ingress is made in the application's namespace ${quote(ctx.app.namespace)} (by KubeMin-Cli too), not ${quote(namespace)} (dropped)`,
    );
  }
  e.drop('label', 'no-equivalent', '"label" has no equivalent: the Ingress gets the component\'s labels, like every object of the component (dropped)');
  const hosts = e.stringList('hosts');
  if (hosts?.length) out.hosts = hosts;
  const className = e.string('ingress_class_name');
  if (className !== undefined) out.className = className;
  const annotations = e.stringMap('annotations') ?? {};
  const tls = JsonObject.readArray<{ secret_name?: string; hosts?: string[] }>(e.raw('tls'), e.at('tls'), p, 'tls');
  if (tls?.length) {
    out.tls = tls.map((t) => {
      const rawSecret = t.string('secret_name');
      const tlsHosts = t.stringList('hosts');
      if (rawSecret === undefined) p.error(t.at('secret_name'), 'missing-field', 'a tls entry needs secret_name: the Secret with the certificate');
      const secretName = rawSecret === undefined ? undefined : kubeName(rawSecret, t.at('secret_name'), p, 'Secret name');
      t.finish('a tls entry');
      return { secretName: secretName ?? '', ...(tlsHosts?.length ? { hosts: tlsHosts } : {}) };
    });
  }
  let defaultPathType = pathTypeOf(e, 'default_path_type', ctx);
  const routes = JsonObject.readArray<KcIngressRoute>(e.raw('routes'), e.at('routes'), p, 'routes');
  if (!routes?.length) {
    p.warn(
      e.at('routes'),
      'ingress-no-routes',
      'the ingress has no routes: KubeMin-Cli refuses it (and then deploys nothing of the component); kubemin routes / to the component',
    );
  } else {
    const read = routes.map((r) => route(r, ctx));
    // KubeMin-Cli: a regex rewrite turns on nginx's use-regex, and regex paths default to ImplementationSpecific.
    if (read.some((r) => r.regex)) annotations[USE_REGEX_ANNOTATION] = 'true';
    if (defaultPathType === undefined && annotations[USE_REGEX_ANNOTATION]?.toLowerCase() === 'true') defaultPathType = 'ImplementationSpecific';
    shareRewrite(read, annotations, e.at('routes'), ctx);
    out.routes = read.map((r) => r.route);
  }
  if (Object.keys(annotations).length) out.annotations = annotations;
  if (defaultPathType !== undefined && defaultPathType !== 'Prefix') out.defaultPathType = defaultPathType;
  return { ...order(out) };
}

/** kubemin's field order, for a spec that reads like the README. */
function order(i: IngressSpec): IngressSpec {
  const keys: Array<keyof IngressSpec> = ['name', 'hosts', 'className', 'annotations', 'tls', 'defaultPathType', 'routes'];
  return Object.fromEntries(keys.filter((k) => i[k] !== undefined).map((k) => [k, i[k]])) as IngressSpec;
}

function route(r: JsonObject<KcIngressRoute>, ctx: ConvertContext): ReadRoute {
  const out: RouteSpec = {};
  const path = r.string('path');
  if (path !== undefined) out.path = path;
  const pathType = pathTypeOf(r, 'path_type', ctx);
  if (pathType !== undefined) out.pathType = pathType;
  const host = r.string('host');
  if (host !== undefined) out.host = host;
  const backend = r.object<Backend>('backend');
  const b = backendOf(backend, r.at('backend'), ctx);
  if (b) out.backend = b;
  backend?.finish('a route backend');
  let regex = false;
  const rewrite = r.object<Rewrite>('rewrite');
  if (rewrite) {
    const type = rewrite.string('type')?.toLowerCase();
    regex = type === 'regex' || type === 'regexreplace';
    rewrite.drop(
      'match',
      'no-equivalent',
      'rewrite "match" is not used, by KubeMin-Cli either: only the replacement is, as nginx\'s rewrite-target; put the regular expression in the path (dropped)',
    );
    const replacement = rewrite.string('replacement');
    if (replacement !== undefined) out.rewrite = { replacement };
    rewrite.finish('a rewrite');
  }
  return { route: out, input: r, regex };
}

/** A path type as KubeMin-Cli parses it (any case, also implementation-specific); others are ignored. */
function pathTypeOf<T extends object>(o: JsonObject<T>, field: Extract<keyof T, string>, ctx: ConvertContext): PathType | undefined {
  const raw = o.string(field);
  if (raw === undefined) return undefined;
  const known: Record<string, PathType> = {
    prefix: 'Prefix',
    exact: 'Exact',
    implementationspecific: 'ImplementationSpecific',
    'implementation-specific': 'ImplementationSpecific',
  };
  const type = known[raw.toLowerCase()];
  if (type === undefined) {
    ctx.problems.warn(o.at(field), 'invalid-value', `path type ${quote(raw)} is not Prefix, Exact or ImplementationSpecific: KubeMin-Cli ignores it (dropped)`);
  }
  return type;
}

/**
 * The backend: this component's Service (left out: kubemin's default), another component's, or
 * any Service by name. KubeMin-Cli sends to port 80 when the route has none.
 */
function backendOf(b: JsonObject<Backend> | undefined, pointer: string, ctx: ConvertContext): RouteSpec['backend'] | undefined {
  const rawService = b?.string('service_name');
  const port = b?.int('service_port');
  b?.drop('weight', 'no-equivalent', '"weight" (traffic splitting) has no equivalent in a kubemin ingress (dropped)');
  b?.drop('headers', 'no-equivalent', '"headers" (header matching) has no equivalent in a kubemin ingress (dropped)');
  if (rawService === undefined) {
    ctx.problems.warn(
      b?.at('service_name') ?? pointer,
      'ingress-backend-default',
      "the route names no service_name: KubeMin-Cli writes a backend without a Service (which Kubernetes refuses); kubemin sends it to the component's Service",
    );
  }
  const target = rawService === undefined ? ctx.component : ctx.app.components.find((c) => c.inputName === rawService || c.name === rawService.toLowerCase());
  const own = target === ctx.component;
  const out: NonNullable<RouteSpec['backend']> = {};
  if (!own) {
    const service =
      target?.name ?? (rawService === undefined ? undefined : kubeName(rawService, b?.at('service_name') ?? pointer, ctx.problems, 'Service name'));
    if (service === undefined) return undefined;
    out.service = service;
  }
  if (port !== undefined && port !== 0) out.port = port;
  else if (target) {
    const chosen = defaultPort(target, b?.at('service_port') ?? pointer, ctx) ?? (own ? undefined : DEFAULT_SERVICE_PORT);
    if (chosen !== undefined) out.port = chosen;
  } else out.port = DEFAULT_SERVICE_PORT;
  // kubemin's default port is the component's first one.
  if (own && out.port !== undefined && out.port === target?.ports[0]) delete out.port;
  return Object.keys(out).length ? out : undefined;
}

/**
 * The port a route to `target` without service_port goes to: 80, as in KubeMin-Cli, when the
 * Service has it; otherwise, with a warning, its first port (KubeMin-Cli's port 80 would not exist).
 */
function defaultPort(target: ComponentInfo, pointer: string, ctx: ConvertContext): number | undefined {
  if (target.ports.length === 0) return undefined;
  if (target.ports.includes(DEFAULT_SERVICE_PORT)) return DEFAULT_SERVICE_PORT;
  const first = target.ports[0];
  ctx.problems.warn(
    pointer,
    'ingress-default-port',
    `the route names no service_port: KubeMin-Cli sends it to port 80, which the Service ${quote(target.name)} does not have; kubemin sends it to its first port, ${first}`,
  );
  return first;
}

/**
 * nginx's rewrite-target is a setting of the whole Ingress. KubeMin-Cli sets it from the first
 * route with a rewrite (unless the annotations set it), and it applies to every route; kubemin
 * writes it on each route of the entry, so every route gets that one.
 */
function shareRewrite(routes: ReadRoute[], annotations: Record<string, string>, pointer: string, ctx: ConvertContext): void {
  const first = routes.find((r) => r.route.rewrite)?.route.rewrite?.replacement;
  if (first === undefined) return;
  const given = annotations[REWRITE_ANNOTATION];
  if (given !== undefined) {
    for (const r of routes) {
      if (!r.route.rewrite) continue;
      delete r.route.rewrite;
      ctx.problems.warn(
        r.input.at('rewrite'),
        'ingress-rewrite-annotation',
        `the annotation ${REWRITE_ANNOTATION} (${quote(given)}) wins over the route's rewrite, in KubeMin-Cli too (dropped)`,
      );
    }
    return;
  }
  const changed = routes.filter((r) => r.route.rewrite?.replacement !== first);
  if (!changed.length) return;
  for (const r of changed) r.route.rewrite = { replacement: first };
  ctx.problems.warn(
    pointer,
    'ingress-rewrite-shared',
    `the rewrite ${quote(first)} applies to every route of the Ingress (nginx's rewrite-target is one setting, and KubeMin-Cli takes the first route's), so kubemin writes it on every route`,
  );
}
