import type { CompiledApp } from '../../src/compile.js';
import { compileApp } from '../helpers/spec.js';

export interface ShopOptions {
  readonly image?: string;
  readonly password?: string;
  readonly worker?: boolean;
  /** A step inserted before `app`, deploying a new component. */
  readonly cache?: boolean;
  readonly appTimeout?: string;
}

/** A small app: namespace, config and secret, then a web service (and optionally a worker and a cache). */
export function shopSpec(o: ShopOptions = {}): Record<string, unknown> {
  const components: Record<string, unknown>[] = [
    { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
    { name: 'auth', type: 'secret', stringData: { password: o.password ?? 'hunter2-old' } },
    {
      name: 'web',
      type: 'webservice',
      image: o.image ?? 'ghcr.io/acme/shop:1.4.0',
      ports: [{ port: 8080 }],
      traits: { envFrom: [{ type: 'config', sourceName: 'settings' }] },
    },
  ];
  if (o.worker !== false) components.push({ name: 'worker', type: 'worker', image: 'ghcr.io/acme/worker:2.0' });
  if (o.cache) components.push({ name: 'cache', type: 'store', image: 'redis:7.2', ports: [{ port: 6379 }] });
  const steps: Record<string, unknown>[] = [{ name: 'data', components: ['settings', 'auth'], mode: 'parallel' }];
  if (o.cache) steps.push({ name: 'cache', components: ['cache'] });
  steps.push({
    name: 'app',
    components: ['web', ...(o.worker !== false ? ['worker'] : [])],
    mode: 'parallel',
    ...(o.appTimeout ? { timeout: o.appTimeout } : {}),
  });
  return { createNamespace: true, components, workflow: { steps } };
}

/** The compiled apps of one spec; fails the test on a compile error. */
export function compiled(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): CompiledApp[] {
  const result = compileApp(spec, meta);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !result.apps.length) throw new Error(`compile failed: ${JSON.stringify(errors)}`);
  return result.apps;
}

export const shop = (o: ShopOptions = {}, meta: Record<string, unknown> = { name: 'shop', namespace: 'shop' }) => compiled(shopSpec(o), meta);
