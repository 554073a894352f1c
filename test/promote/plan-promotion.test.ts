import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planPromotion, type PromoteRequest } from '../../src/promote/plan-promotion.js';
import { PromoteError } from '../../src/promote/promote-error.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';

const DOC = parse(`
apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: books, namespace: books}
spec:
  components:
    - {name: api, type: webservice, image: api:2.3.0, replicas: 2, env: {LOG_LEVEL: info, MODE: web}, ports: [{port: 8080}]}
    - {name: worker, type: worker, image: worker:2.3.0}
    - {name: report, type: cronjob, image: report:2.3.0, schedule: "0 3 * * *"}
    - {name: settings, type: config, data: {A: "1"}}
    - {name: auth, type: secret, stringData: {password: pw}}
  environments:
    - name: staging
      namespace: books-staging
      components:
        api: {image: api:2.4.0, replicas: 1, env: {LOG_LEVEL: debug, MODE: null}}
        worker: {image: worker:2.4.0}
        report: {disabled: true}
    - name: production
      components:
        api: {image: api:2.3.1, replicas: 4, traits: {autoscale: {minReplicas: 4, maxReplicas: 8}}}
        worker: {image: worker:2.4.0}
`);

const plan = (request: Partial<PromoteRequest>) =>
  planPromotion(DOC, { from: 'staging', to: 'production', fields: [['image']], ...request }, { registry: builtinRegistry });

describe('planPromotion', () => {
  it('copies the images the source runs into the target, and says what was equal or left out', () => {
    const p = plan({});
    expect(p.changes).toEqual([{ component: 'api', field: ['image'], before: 'api:2.3.1', after: 'api:2.4.0', edit: 'set' }]);
    expect(p.already).toEqual([{ component: 'worker', field: ['image'], value: 'worker:2.4.0' }]);
    expect(p.skipped).toEqual([{ component: 'report', reason: 'disabled-in-source' }]);
    expect(p.environment.components).toEqual({
      api: { image: 'api:2.4.0', replicas: 4, traits: { autoscale: { minReplicas: 4, maxReplicas: 8 } } },
      worker: { image: 'worker:2.4.0' },
    });
  });

  it('removes an override where the base already has the value, and an override left empty', () => {
    const p = planPromotion(DOC, { from: 'production', to: 'staging', fields: [['image']], components: ['worker'] }, { registry: builtinRegistry });
    expect(p.changes).toEqual([]);
    const back = planPromotion(
      {
        ...DOC,
        spec: { ...DOC.spec, components: DOC.spec.components.map((c: { name: string }) => (c.name === 'worker' ? { ...c, image: 'worker:2.4.0' } : c)) },
      },
      { from: 'production', to: 'staging', fields: [['image']], components: ['worker'] },
      { registry: builtinRegistry },
    );
    expect(back.changes).toEqual([]);
    const down = plan({ from: 'production', to: 'staging', fields: [['image'], ['replicas']], components: ['api'] });
    expect(down.changes.map((c) => [c.field.join('.'), c.after, c.edit])).toEqual([
      ['image', 'api:2.3.1', 'set'],
      ['replicas', 4, 'set'],
    ]);
  });

  it('writes a map as the merge patch from the base: changed keys, and null for a key the source removes', () => {
    const p = plan({ fields: [['env']] });
    expect(p.changes).toEqual([{ component: 'api', field: ['env'], before: { LOG_LEVEL: 'info', MODE: 'web' }, after: { LOG_LEVEL: 'debug' }, edit: 'set' }]);
    expect((p.environment.components as any).api.env).toEqual({ LOG_LEVEL: 'debug', MODE: null });
  });

  it('promotes a path inside a trait, and gives way to the base when it has the value', () => {
    const up = plan({ from: 'production', to: 'staging', fields: [['traits', 'autoscale', 'minReplicas']], components: ['api'] });
    expect((up.environment.components as any).api.traits).toEqual({ autoscale: { minReplicas: 4 } });
    const down = plan({ fields: [['traits', 'autoscale']], components: ['api'] });
    expect(down.changes).toEqual([
      { component: 'api', field: ['traits', 'autoscale'], before: { minReplicas: 4, maxReplicas: 8 }, after: undefined, edit: 'removed' },
    ]);
    expect((down.environment.components as any).api).toEqual({ image: 'api:2.3.1', replicas: 4 });
  });

  it('leaves out a component disabled in the target', () => {
    const p = plan({ from: 'production', to: 'staging', components: ['report', 'worker'] });
    expect(p.skipped).toEqual([{ component: 'report', reason: 'disabled-in-target' }]);
  });

  it('refuses secret fields, and names what is unknown with a did-you-mean', () => {
    expect(() => plan({ fields: [['stringData']] })).toThrow(/component "auth": stringData holds secret values/);
    expect(() => plan({ fields: [['stringData']], components: ['api'] })).not.toThrow();
    expect(() => plan({ to: 'prodution' })).toThrow('no environment "prodution" in application "books" (did you mean "production"?)');
    expect(() => plan({ from: 'dev' })).toThrow('no environment "dev" in application "books" (known: staging, production)');
    expect(() => plan({ components: ['wroker'] })).toThrow('no component "wroker" in application "books" (did you mean "worker"?)');
    expect(() => plan({ to: 'staging' })).toThrow(PromoteError);
    expect(() => plan({ fields: [['ports', '0']] })).toThrow('ports is a list');
    expect(() =>
      planPromotion({ metadata: { name: 'x' }, spec: { components: [] } }, { from: 'a', to: 'b', fields: [['image']] }, { registry: builtinRegistry }),
    ).toThrow('application "x" has no environments');
  });
});
