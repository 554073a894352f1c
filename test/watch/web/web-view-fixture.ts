import { emitYaml } from '../../../src/bundle/yaml-emit.js';

/**
 * The apps the web view's browser test deploys: `shop`, whose workflow has a config and a Secret,
 * a migration Job, then a web service reading both; and `blog`, one web service (for the filter).
 */

/** The Secret's value: distinctive, long enough that any run of 8 of its characters is masked too. */
export const SECRET_VALUE = 'tok-Qz81-webview-k3y-7Hw2';

/** The phases of shop, in workflow order. */
export const SHOP_PHASES = ['config', 'migrate', 'web'];

/** A Job pod of a `:fail` image exits 1 on the test cluster (scripts/test-cluster/kwok.yaml). */
export const FAILING_MIGRATE_IMAGE = 'ghcr.io/acme/migrate:fail';

export function shopSpec(ns: string, migrateImage = 'ghcr.io/acme/migrate:1'): string {
  const token = { name: 'API_TOKEN', valueFrom: { secret: { name: 'creds', key: 'token' } } };
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: ns },
    spec: {
      components: [
        { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
        { name: 'creds', type: 'secret', stringData: { token: SECRET_VALUE } },
        { name: 'migrate', type: 'job', image: migrateImage, job: { backoffLimit: 0 }, traits: { envs: [token] } },
        {
          name: 'web',
          type: 'webservice',
          image: 'ghcr.io/acme/web:1.0',
          ports: [{ port: 8080 }],
          traits: { envFrom: [{ type: 'config', sourceName: 'settings' }], envs: [token] },
        },
      ],
      workflow: {
        steps: [
          { name: 'config', components: ['settings', 'creds'], mode: 'parallel' },
          { name: 'migrate', components: ['migrate'] },
          { name: 'web', components: ['web'] },
        ],
      },
    },
  } as never);
}

export function blogSpec(ns: string): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'blog', namespace: ns },
    spec: { components: [{ name: 'blog', type: 'webservice', image: 'ghcr.io/acme/blog:1', ports: [{ port: 8080 }] }] },
  } as never);
}
