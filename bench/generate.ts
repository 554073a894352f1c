/**
 * Benchmark inputs: N kubemin applications, and an equivalent kustomize tree (one base, one overlay
 * per application) for the reference measurement. Only node built-ins and the project's own modules.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitYaml, type JsonValue } from '../src/bundle/yaml-emit.js';
import type { CompiledApp } from '../src/compile.js';

/** `app-0001`: zero-padded so that sorting by name is sorting by number. */
export function appName(i: number): string {
  return `app-${String(i).padStart(4, '0')}`;
}

function imageOf(i: number): string {
  return `ghcr.io/acme/${appName(i)}:1.${i % 50}.${i % 7}`;
}

function hostOf(i: number): string {
  return `${appName(i)}.example.com`;
}

/**
 * One application of about ten objects: two ConfigMaps, a store (StatefulSet, Service, headless
 * Service) with a persistent volume, a migration Job, a webservice (Deployment, Service, Ingress)
 * and a worker Deployment, deployed by a three-step workflow. Name, namespace, host, image and
 * data differ from app to app, so no two documents (or objects) are alike. `webImage` replaces the
 * image of the web Deployment only (the Job and the worker keep theirs), for a diff with one update
 * per app. `small` makes the running pods fit 100 apps on the test cluster's three fake nodes of 8
 * CPUs and 32Gi (for an apply that waits for them): one web replica instead of 2 to 4, and smaller
 * requests: 170m CPU and 352Mi per app instead of 1.1 to 1.6 CPU and 1.6 to 2.1Gi.
 */
export function appSpec(i: number, name = appName(i), opts: { webImage?: string; small?: boolean } = {}): string {
  const image = imageOf(i);
  const res = (usual: string, small: string): string => `{${opts.small ? small : usual}}`;
  return `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: ${name}
  labels: {team: team-${i % 13}}
spec:
  policies: {imagePullPolicy: IfNotPresent, timeout: 5m, allowHostPath: false, allowClusterScope: false}
  components:
    - {name: settings, type: config, data: {LOG_LEVEL: info, APP_ID: "${i}", REGION: eu-${i % 3}}}
    - {name: features, type: config, data: {CHECKOUT_V2: "on", SEARCH: "off", CACHE_TTL: "${30 + (i % 60)}s"}}
    - name: db
      type: store
      image: postgres:16.${i % 4}
      ports: [{port: 5432}]
      env: {POSTGRES_DB: ${name}, PGDATA: /var/lib/postgresql/data/pgdata}
      traits:
        storage: [{name: data, type: persistent, mountPath: /var/lib/postgresql/data, size: ${1 + (i % 20)}Gi}]
        envs: [{name: POSTGRES_PASSWORD, valueFrom: {secret: {name: db-auth, key: password}}}]
        resources: ${res('cpu: 500m, memory: 1Gi', 'cpu: 100m, memory: 256Mi')}
        probes: [{type: readiness, tcpSocket: {port: 5432}, periodSeconds: 10}]
    - name: migrate
      type: job
      image: ${image}
      command: [./server, migrate, --database, ${name}]
      job: {backoffLimit: 2, activeDeadlineSeconds: 600}
      traits:
        envFrom: [{type: config, sourceName: settings}]
        envs: [{name: DB_PASSWORD, valueFrom: {secret: {name: db-auth, key: password}}}]
    - name: web
      type: webservice
      image: ${opts.webImage ?? image}
      replicas: ${opts.small ? 1 : 2 + (i % 3)}
      ports: [{port: 8080}]
      env: {MODE: web, PUBLIC_URL: "https://${hostOf(i)}"}
      traits:
        envFrom: [{type: config, sourceName: settings}, {type: config, sourceName: features}]
        envs: [{name: DB_PASSWORD, valueFrom: {secret: {name: db-auth, key: password}}}]
        resources: ${res('cpu: 250m, memory: 256Mi', 'cpu: 50m, memory: 64Mi')}
        probes:
          - {type: readiness, httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}
          - {type: liveness, httpGet: {path: /livez, port: 8080}, initialDelaySeconds: 10}
        ingress: [{hosts: [${hostOf(i)}], routes: [{path: /}]}]
    - name: worker
      type: worker
      image: ${image}
      command: [./server, work, --queue, ${name}]
      traits:
        envFrom: [{type: config, sourceName: settings}, {type: config, sourceName: features}]
        envs: [{name: DB_PASSWORD, valueFrom: {secret: {name: db-auth, key: password}}}]
        resources: ${res('cpu: 100m, memory: 128Mi', 'cpu: 20m, memory: 32Mi')}
  workflow:
    steps:
      - {name: data, components: [settings, features, db]}
      - {name: migrate, components: [migrate]}
      - {name: app, components: [web, worker], mode: parallel, timeout: 10m}
`;
}

/** `<root>/apps/app-NNNN/kubemin.yaml` for apps 1..n. */
export async function writeKubeminTree(root: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const dir = join(root, 'apps', appName(i));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'kubemin.yaml'), appSpec(i));
  }
}

/** The objects of a compiled app, in apply order. */
function objectsOf(app: CompiledApp): Array<Record<string, unknown>> {
  return app.phases.flatMap((p) => p.objects.map((o) => o.object as unknown as Record<string, unknown>));
}

/**
 * An equivalent kustomize tree: `base/` holds the same objects as one kubemin app, as plain YAML
 * without a namespace (taken from kubemin's own output for a template app, so the objects are the
 * same); `overlays/app-NNNN/` sets the namespace, the per-app labels (instance in selectors too, as
 * kubemin does), the web image (strategic-merge patch) and the Ingress host (JSON 6902 patch); the
 * top-level `kustomization.yaml` lists every overlay. Returns the number of objects per app.
 */
export async function writeKustomizeTree(root: string, n: number, template: CompiledApp): Promise<number> {
  const base = join(root, 'base');
  await mkdir(base, { recursive: true });
  const resources: string[] = [];
  const objects = objectsOf(template);
  for (const [k, object] of objects.entries()) {
    const copy = structuredClone(object) as { kind: string; metadata: { name: string; namespace?: string } };
    delete copy.metadata.namespace;
    const file = `${String(k + 1).padStart(2, '0')}-${copy.kind.toLowerCase()}-${copy.metadata.name}.yaml`;
    await writeFile(join(base, file), emitYaml(copy as unknown as JsonValue));
    resources.push(file);
  }
  await writeFile(join(base, 'kustomization.yaml'), kustomization(['resources:', ...resources.map((r) => `  - ${r}`)]));

  const overlays: string[] = [];
  for (let i = 1; i <= n; i++) {
    const name = appName(i);
    const dir = join(root, 'overlays', name);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'kustomization.yaml'),
      kustomization([
        `namespace: ${name}`,
        'resources:',
        '  - ../../base',
        'labels:',
        `  - pairs: {app.kubernetes.io/instance: ${name}}`,
        '    includeSelectors: true',
        `  - pairs: {app.kubernetes.io/part-of: ${name}, team: team-${i % 13}}`,
        '    includeTemplates: true',
        'patches:',
        '  - patch: |-',
        '      apiVersion: apps/v1',
        '      kind: Deployment',
        '      metadata: {name: web}',
        '      spec:',
        '        template:',
        '          spec:',
        `            containers: [{name: web, image: "${imageOf(i)}"}]`,
        '  - target: {group: networking.k8s.io, version: v1, kind: Ingress, name: web}',
        '    patch: |-',
        '      - op: replace',
        '        path: /spec/rules/0/host',
        `        value: ${hostOf(i)}`,
      ]),
    );
    overlays.push(`overlays/${name}`);
  }
  await writeFile(join(root, 'kustomization.yaml'), kustomization(['resources:', ...overlays.map((o) => `  - ${o}`)]));
  return objects.length;
}

function kustomization(lines: string[]): string {
  return ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', ...lines, ''].join('\n');
}
