import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../src/k8s/types.js';
import { caseDirs, compileDir, REPO } from './helpers/tree.js';

/** Every rendered object of every example and fixture passes the Kubernetes OpenAPI schema (kubernetes-models). */

interface Model {
  new (data: unknown): { validate(): void };
}

async function modelFor(o: K8sObject): Promise<Model> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [undefined, o.apiVersion];
  const path = `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
  const mod = (await import(path)) as Record<string, Model>;
  const model = mod[o.kind];
  if (!model) throw new Error(`no model ${o.kind} in ${path}`);
  return model;
}

const CUSTOM_GROUPS = new Set(['monitoring.coreos.com', 'backups.example.com']);
/** The custom resources each case renders (its CRD's schema checks them, in the cluster). */
const CUSTOM_KINDS: Record<string, string[]> = { 'examples/plugins': ['ServiceMonitor'], 'fixtures/render/escape-hatches': ['BackupSchedule'] };

const dirs = [...caseDirs(join(REPO, 'fixtures/render')), ...caseDirs(join(REPO, 'examples'))];

describe('rendered objects against the Kubernetes OpenAPI schema', () => {
  for (const dir of dirs) {
    it(`${dir.slice(REPO.length + 1)}`, async () => {
      const { apps, diagnostics } = await compileDir(dir);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const all = apps.flatMap((a) => a.phases.flatMap((p) => p.objects.map((o) => o.object)));
      // Custom resources (a plugin's ServiceMonitor, a k8s-objects component's) have no model in kubernetes-models.
      const custom = all.filter((o) => CUSTOM_GROUPS.has(o.apiVersion.split('/')[0]!));
      expect(custom.map((o) => o.kind)).toEqual(CUSTOM_KINDS[dir.slice(REPO.length + 1)] ?? []);
      const objects = all.filter((o) => !custom.includes(o));
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) {
        const Model = await modelFor(o);
        expect(() => new Model(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
      }
    });
  }

  it('catches an invalid object (the check itself can fail)', async () => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } } as unknown as K8sObject;
    const Model = await modelFor(bad);
    expect(() => new Model(bad).validate()).toThrow(/replicas/);
  });
});
