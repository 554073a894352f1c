import type { K8sObject } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { annotationMap, dns1035Label, dnsLabel, dnsSubdomain } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { EmittedObject, PendingDiagnostic, TraitDef } from '../types.js';
import { defaultPortName } from '../workload.js';

type PathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';

export interface RouteSpec {
  path?: string;
  pathType?: PathType;
  host?: string;
  backend?: { service?: string; port?: number | string };
  rewrite?: { replacement: string };
}

export interface IngressSpec {
  name?: string;
  hosts?: string[];
  className?: string;
  annotations?: Record<string, string>;
  tls?: Array<{ secretName: string; hosts?: string[] }>;
  defaultPathType?: PathType;
  routes?: RouteSpec[];
}

export const REWRITE_ANNOTATION = 'nginx.ingress.kubernetes.io/rewrite-target';

const host: JsonSchema = { type: 'string', format: 'hostname-wildcard' };
const pathType: JsonSchema = { enum: ['Prefix', 'Exact', 'ImplementationSpecific'] };

export const ingress: TraitDef<IngressSpec[]> = {
  name: 'ingress',
  description: 'HTTP routes from outside the cluster to this component (or another Service): one Ingress per entry.',
  scope: 'pod',
  requires: ['service'],
  schema: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { ...dnsLabel, description: 'Ingress name (default <component>, then <component>-2, -3...).' },
        hosts: { type: 'array', items: host, description: 'Hosts served by every route without its own host.' },
        className: { ...dnsSubdomain, description: 'ingressClassName, e.g. nginx.' },
        annotations: annotationMap,
        tls: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['secretName'],
            properties: { secretName: dnsLabel, hosts: { type: 'array', items: host, description: "Default: the entry's hosts." } },
          },
        },
        defaultPathType: { ...pathType, description: 'pathType of routes that do not set one (default Prefix).' },
        routes: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              path: { type: 'string', format: 'ingress-path', description: 'Default /.' },
              pathType,
              host,
              backend: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  service: { ...dns1035Label, description: "Default: this component's Service." },
                  port: {
                    type: ['integer', 'string'],
                    minimum: 1,
                    maximum: 65535,
                    format: 'port-name',
                    description: "Port number or name (default: the component's first port).",
                  },
                },
              },
              rewrite: {
                type: 'object',
                additionalProperties: false,
                required: ['replacement'],
                properties: { replacement: { type: 'string', minLength: 1, description: 'nginx rewrite-target, e.g. /$2.' } },
              },
            },
          },
        },
      },
    },
  },
  apply(items, ctx) {
    const comp = ctx.component;
    const objects: EmittedObject[] = [];
    const diagnostics: PendingDiagnostic[] = [];
    const firstPort = comp.component.ports?.[0];
    items.forEach((entry, i) => {
      const pointer = joinPointer(ctx.pointer, i);
      const name = entry.name ?? (i === 0 ? comp.component.name : `${comp.component.name}-${i + 1}`);
      const routes = entry.routes?.length ? entry.routes : [{}];
      const rewrites = new Set(routes.map((r) => r.rewrite?.replacement).filter((r) => r !== undefined));
      if (rewrites.size > 1 || (rewrites.size === 1 && routes.some((r) => !r.rewrite))) {
        diagnostics.push({
          severity: 'error',
          code: 'ingress-rewrite-mixed',
          message: 'routes of one ingress entry have different rewrites, but the rewrite is a setting of the whole Ingress',
          hint: 'put routes that need a different rewrite into another ingress entry',
          pointer: joinPointer(pointer, 'routes'),
          atKey: true,
        });
      }
      const paths = new Map<string, Array<Record<string, unknown>>>();
      routes.forEach((r, j) => {
        const backendService = r.backend?.service ?? comp.component.name;
        const port = r.backend?.port ?? (r.backend?.service ? undefined : firstPort?.port);
        if (port === undefined) {
          diagnostics.push({
            severity: 'error',
            code: 'ingress-no-port',
            message: r.backend?.service
              ? `route to service "${r.backend.service}" needs backend.port`
              : `component "${comp.component.name}" has no ports, so the route has no port to send traffic to`,
            hint: r.backend?.service ? 'set backend.port' : 'add ports to the component, or set backend.service and backend.port',
            pointer: joinPointer(pointer, 'routes', j),
          });
          return;
        }
        if (!r.backend?.service) {
          const own = comp.component.ports ?? [];
          const names = own.map((p) => p.name ?? defaultPortName(p.port, p.protocol));
          const known = typeof port === 'string' ? names.includes(port) : own.some((p) => p.port === port);
          if (!known) {
            diagnostics.push({
              severity: 'error',
              code: 'ingress-port',
              message: `route port ${JSON.stringify(port)} is not a port of the Service "${comp.component.name}"`,
              hint: `its ports: ${own.map((p, k) => `${p.port} (${names[k]})`).join(', ')}`,
              pointer: joinPointer(pointer, 'routes', j, 'backend', 'port'),
            });
          }
        }
        const servicePort = typeof port === 'number' ? { number: port } : { name: port };
        const path = {
          path: r.path ?? '/',
          pathType: r.pathType ?? entry.defaultPathType ?? 'Prefix',
          backend: { service: { name: backendService, port: servicePort } },
        };
        const hosts = r.host ? [r.host] : entry.hosts?.length ? entry.hosts : [''];
        for (const h of hosts) paths.set(h, [...(paths.get(h) ?? []), path]);
      });
      const rules = [...paths.entries()].map(([h, p]) => ({ ...(h ? { host: h } : {}), http: { paths: p } }));
      const annotations = { ...comp.meta(name).annotations, ...entry.annotations };
      const [rewrite] = [...rewrites];
      if (rewrite !== undefined) annotations[REWRITE_ANNOTATION] = rewrite;
      const object: K8sObject = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { ...comp.meta(name), ...(Object.keys(annotations).length ? { annotations } : {}) },
        spec: {
          ...(entry.className ? { ingressClassName: entry.className } : {}),
          ...(entry.tls?.length ? { tls: entry.tls.map((t) => ({ hosts: t.hosts ?? entry.hosts ?? [], secretName: t.secretName })) } : {}),
          rules,
        },
      };
      objects.push({ object, pointer });
    });
    return { objects, diagnostics };
  },
};
