import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/k8s/types.js';
import { builtinPlugin } from '../../src/plugins/builtin.js';
import { ExtensionError, PluginLoadError } from '../../src/plugins/extension-error.js';
import { loadPluginConfig } from '../../src/plugins/load-plugins.js';
import { builtinPluginSet, createPluginSet } from '../../src/plugins/plugin-set.js';
import type { KubeminPlugin } from '../../src/plugins/types.js';
import { builtinReadinessRules, readinessTable } from '../../src/readiness/index.js';
import type { ReadinessRule } from '../../src/readiness/types.js';
import { tempDir } from '../helpers/cli.js';

/** Readiness rules as an extension point of the plugin API: the built-ins are the built-in plugin's entries, a plugin adds rules for its CRDs' kinds. */

const widget = (status?: Record<string, unknown>): K8sObject => ({
  apiVersion: 'readiness.kubemin.test/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'ns' },
  ...(status ? { status } : {}),
});

const WIDGET_RULE: ReadinessRule = {
  name: 'widget',
  description: 'Ready when status.ready is true.',
  kinds: ['readiness.kubemin.test/Widget'],
  check: (o) =>
    (o.status as { ready?: boolean } | undefined)?.ready === true
      ? { state: 'ready', message: 'status.ready' }
      : { state: 'progressing', message: 'waiting for status.ready' },
};

const withRules = (...readiness: ReadinessRule[]): { plugin: KubeminPlugin; source: string } => ({
  plugin: { name: 'widgets', readiness },
  source: 'widgets.mjs',
});

describe('the readiness table of the plugin set', () => {
  it('holds the built-in rules as the built-in plugin’s entries', () => {
    expect(builtinPlugin.plugin.readiness).toBe(builtinReadinessRules);
    expect(builtinPluginSet.readiness.map((r) => r.name)).toEqual(builtinReadinessRules.map((r) => r.name));
    expect(readinessTable(builtinPluginSet.readiness)({ apiVersion: 'apps/v1', kind: 'Deployment' }).name).toBe('deployment');
    // A kind no rule claims: the generic rule.
    expect(readinessTable(builtinPluginSet.readiness)(widget()).name).toBe('generic');
  });

  it('adds a plugin’s rule for its kind, after the built-ins; its answers are the plugin’s', () => {
    const set = createPluginSet([withRules(WIDGET_RULE)]);
    expect(set.readiness.map((r) => r.name)).toEqual([...builtinReadinessRules.map((r) => r.name), 'widget']);
    const rule = readinessTable(set.readiness)(widget());
    expect(rule.name).toBe('widget');
    expect(rule.check(widget(), [])).toEqual({ state: 'progressing', message: 'waiting for status.ready' });
    expect(rule.check(widget({ ready: true }), [])).toEqual({ state: 'ready', message: 'status.ready' });
  });

  it('refuses a kind two plugins claim, and a name two plugins use, naming both', () => {
    const deployments = { ...WIDGET_RULE, name: 'my-deployments', kinds: ['apps/Deployment'] };
    expect(() => createPluginSet([withRules(deployments)])).toThrow(PluginLoadError);
    expect(() => createPluginSet([withRules(deployments)])).toThrow(
      'readiness rule for kind "apps/Deployment" of plugin "widgets" (widgets.mjs) clashes with the one of plugin "kubemin" (built-in): one rule says when objects of a kind are ready: keep one',
    );
    expect(() => createPluginSet([withRules({ ...WIDGET_RULE, name: 'job', kinds: ['x.dev/Job'] })])).toThrow(
      'readiness rule "job" of plugin "widgets" (widgets.mjs) clashes with the one of plugin "kubemin" (built-in): rename one of them',
    );
  });

  it('refuses a rule of the wrong shape before anything of it is used', () => {
    const bad =
      (def: Record<string, unknown>): (() => unknown) =>
      () =>
        createPluginSet([withRules(def as unknown as ReadinessRule)]);
    expect(bad({ ...WIDGET_RULE, kinds: [] })).toThrow('widgets.mjs: readiness "widget" needs kinds: a list of group/Kind');
    expect(bad({ ...WIDGET_RULE, kinds: ['Widget'] })).toThrow('widgets.mjs: readiness "widget": kind "Widget" is not group/Kind');
    expect(bad({ ...WIDGET_RULE, check: undefined })).toThrow('widgets.mjs: readiness "widget" needs a function check()');
    expect(bad({ ...WIDGET_RULE, description: undefined })).toThrow('widgets.mjs: readiness "widget" needs a description');
    expect(() => createPluginSet([{ plugin: { name: 'widgets', readiness: 'no' as never }, source: 'widgets.mjs' }])).toThrow('readiness must be a list');
  });

  it('guards a plugin’s rule: a throw or an answer that is not a readiness is an ExtensionError naming the plugin', () => {
    const throws = {
      ...WIDGET_RULE,
      check: (): never => {
        throw new Error('boom');
      },
    };
    const rule = readinessTable(createPluginSet([withRules(throws)]).readiness)(widget());
    expect(() => rule.check(widget(), [])).toThrow(ExtensionError);
    expect(() => rule.check(widget(), [])).toThrow('readiness rule "widget" of plugin "widgets" (widgets.mjs): it threw: boom');

    const wrong = { ...WIDGET_RULE, check: () => ({ state: 'done', message: 'x' }) as never };
    expect(() => readinessTable(createPluginSet([withRules(wrong)]).readiness)(widget()).check(widget(), [])).toThrow(
      'readiness rule "widget" of plugin "widgets" (widgets.mjs): it returned something invalid: state must be one of ready, progressing, failed, unschedulable',
    );
    const related = { ...WIDGET_RULE, related: () => [{ kind: 'Pod' }] as never };
    expect(() => readinessTable(createPluginSet([withRules(related)]).readiness)(widget()).related!(widget())).toThrow(
      'it returned something invalid: each query needs an apiVersion and a kind',
    );
  });
});

describe('a plugin’s readiness rule in its worker', () => {
  const PLUGIN = `export default {
  name: 'widgets',
  readiness: [{
    name: 'widget',
    description: 'Ready when status.ready is true.',
    kinds: ['readiness.kubemin.test/Widget'],
    related: (o) => [{ apiVersion: 'v1', kind: 'Pod', labelSelector: 'widget=' + o.metadata.name }],
    check(o, [pods = []]) {
      if (o.status?.explode) throw new Error('cannot read ' + o.metadata.name);
      if (o.status?.ready === true) return { state: 'ready', message: 'ready with ' + pods.length + ' pods' };
      return { state: 'progressing', message: 'waiting for status.ready' };
    },
  }],
};
`;

  it('runs check and related there, with the object and related lists as data; a throw names the plugin', async () => {
    const dir = tempDir('kubemin-readiness-');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'kubemin.config.mjs'), "export default { plugins: ['./widgets.mjs'] };\n");
    writeFileSync(join(dir, 'widgets.mjs'), PLUGIN);
    const set = await loadPluginConfig(join(dir, 'kubemin.config.mjs'));
    try {
      const rule = readinessTable(set.readiness)(widget());
      expect(rule.name).toBe('widget');
      expect(rule.related!(widget())).toEqual([{ apiVersion: 'v1', kind: 'Pod', labelSelector: 'widget=w1' }]);
      expect(rule.check(widget(), [])).toEqual({ state: 'progressing', message: 'waiting for status.ready' });
      expect(rule.check(widget({ ready: true }), [[widget(), widget()]])).toEqual({ state: 'ready', message: 'ready with 2 pods' });
      expect(() => rule.check(widget({ explode: true }), [])).toThrow(
        /^readiness rule "widget" of plugin "widgets" \(\S*widgets\.mjs\): it threw: cannot read w1$/,
      );
    } finally {
      set.host.close();
    }
  });
});

describe("the example plugin's ServiceMonitor rule (examples/plugins/ai-eval)", () => {
  it('is ready once it exists, and failed when a Prometheus does not accept it, quoting why', async () => {
    const set = await loadPluginConfig('examples/plugins/ai-eval/kubemin.config.mjs');
    try {
      const monitor = (status?: Record<string, unknown>): K8sObject => ({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'web', namespace: 'shop' },
        ...(status ? { status } : {}),
      });
      const rule = readinessTable(set.readiness)(monitor());
      expect(rule.name).toBe('servicemonitor');
      expect(rule.check(monitor(), [])).toEqual({ state: 'ready', message: 'exists' });
      const accepted = { bindings: [{ name: 'main', conditions: [{ type: 'Accepted', status: 'True' }] }] };
      expect(rule.check(monitor(accepted), [])).toEqual({ state: 'ready', message: 'exists' });
      const refused = {
        bindings: [{ name: 'main', conditions: [{ type: 'Accepted', status: 'False', reason: 'InvalidConfiguration', message: 'port "metrics" not found' }] }],
      };
      expect(rule.check(monitor(refused), [])).toEqual({ state: 'failed', reason: 'InvalidConfiguration', message: 'port "metrics" not found' });
    } finally {
      set.host.close();
    }
  });
});
