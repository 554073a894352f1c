import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanDocument } from '../../src/bundle/emit-bundle.js';
import { tempDir } from '../helpers/cli.js';

/** The value of the Secret in the fixture's spec: never in the page. */
export const SECRET_VALUE = 'pa55-Wordy-7719-zebra';

/** Phases of the fixture's app, in workflow order. */
export const SHOP_PHASES = ['namespace', 'data', 'backend', 'frontend'];

const SPEC = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: shop
spec:
  createNamespace: true
  components:
    - name: db-auth
      type: secret
      stringData:
        password: ${SECRET_VALUE}
    - name: api
      type: webservice
      image: ghcr.io/acme/api:1.0.0
      ports: [{port: 8080}]
      dependsOn: [db-auth]
    - name: web
      type: webservice
      image: ghcr.io/acme/web:1.0.0
      ports: [{port: 8080}]
      dependsOn: [api, db-auth]
  workflow:
    steps:
      - name: data
        components: [db-auth]
      - name: backend
        components: [api]
      - name: frontend
        components: [web]
---
apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: books
spec:
  components:
    - name: store
      type: webservice
      image: ghcr.io/acme/books:2.0.0
`;

/** A directory with two apps: shop (a Secret, dependsOn across phases) and books (one phase). */
export function writeFixture(): string {
  const dir = tempDir('kubemin-view-');
  writeFileSync(join(dir, 'kubemin.yaml'), SPEC);
  return dir;
}

type Phase = PlanDocument['phases'][number];

/** A plan's phase, its components each a ConfigMap. */
export function phase(index: number, name: string, components: string[], extra: Partial<Phase> = {}): Phase {
  return {
    index,
    name,
    dir: `app/${index}-${name}`,
    step: name,
    type: 'deploy',
    mode: 'serial',
    timeout: '5m',
    retries: 0,
    components,
    objects: components.map((c) => ({
      file: `f/${c}.yaml`,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: c,
      namespace: 'ns',
      component: c,
      source: `kubemin.yaml:${index + 10}`,
    })),
    ...extra,
  };
}

/** A plan document as `emitApp` writes it. */
export function plan(app: string, phases: Phase[], environment?: string): PlanDocument {
  return {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Plan',
    app,
    ...(environment ? { environment } : {}),
    namespace: 'ns',
    source: 'kubemin.yaml:2',
    digest: 'sha256:0',
    phases,
  };
}
