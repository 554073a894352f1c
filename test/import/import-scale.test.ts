import { describe, expect, it } from 'vitest';
import { importKubeminCli } from '../../src/import/kubemin-cli/import-kubemin-cli.js';

/** The importer is linear in its input: no message names every other component, no lookup walks them all. */
describe('kubemin import kubemin-cli at scale', () => {
  const app = (n: number) => ({
    name: 'big',
    namespace: 'big',
    component: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, type: 'webservice', image: 'nginx:1.27', properties: { ports: [{ port: 80 }] } })),
    workflow: [{ name: 'all', mode: 'StepByStep', components: Array.from({ length: n }, (_, i) => `c${i}`) }],
  });

  it('a warning names a few other components and counts the rest', () => {
    const r = importKubeminCli(app(500), { file: 'app.json' });
    expect(r.errors).toEqual([]);
    const selector = r.warnings.filter((w) => w.code === 'service-selector');
    expect(selector).toHaveLength(500);
    expect(selector[0]!.message).toBe(
      `KubeMin-Cli's Service "c0" selects every pod of the application, so it also sent traffic to "c1", "c2", "c3" and 496 more; kubemin's selects only this component's pods`,
    );
    expect(selector[499]!.message).toContain('to "c0", "c1", "c2" and 496 more;');
    expect(Math.max(...r.warnings.map((w) => w.message.length))).toBeLessThan(300);
  });

  it('components in no step are named by a few, and counted', () => {
    const input = { ...app(200), workflow: [{ name: 'first', mode: 'StepByStep', components: ['c0'] }] };
    const notDeployed = importKubeminCli(input, { file: 'app.json' }).warnings.filter((w) => w.code === 'not-deployed');
    expect(notDeployed).toHaveLength(1);
    expect(notDeployed[0]!.message).toMatch(/^components "c1", "c2", "c3", "c4", "c5" and 194 more are in no workflow step/);
  });

  it('the messages grow linearly with the components', () => {
    const size = (n: number): number => importKubeminCli(app(n), { file: 'app.json' }).warnings.reduce((sum, w) => sum + w.message.length, 0);
    const small = size(200);
    const large = size(1600);
    // 8 times the components, 8 times the text (give or take the digits of the names): not 64 times.
    expect(large / small).toBeGreaterThan(7);
    expect(large / small).toBeLessThan(9);
  });
});
