import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/** -o/--output is an output format on every command that prints objects or results (text|json|yaml where it fits); the bundle directory is --out. */
const SHOP = join(REPO, 'examples/shop');
const EXAMPLES = join(REPO, 'examples');

describe('render -o', () => {
  it('prints the manifests as a YAML stream (the default, and -o yaml) or as a v1 List (-o json) with the same objects in the same order', async () => {
    const yaml = await cli(['render', SHOP]);
    expect(yaml.code).toBe(0);
    expect(await cli(['render', SHOP, '-o', 'yaml'])).toEqual(yaml);
    const json = await cli(['render', SHOP, '--output', 'json']);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as { apiVersion: string; kind: string; items: unknown[] };
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    const docs = loadAll(yaml.stdout).filter((d) => d !== null && d !== undefined);
    expect(list.items.length).toBeGreaterThan(3);
    expect(list.items).toEqual(docs);
  });

  it('--check: -o json and -o yaml give the changes as data, with the same exit code as the text', async () => {
    const out = tempDir();
    const text = await cli(['render', SHOP, '--out', out, '--check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^\+ shop\.plan\.json$/m);
    const json = await cli(['render', SHOP, '--out', out, '--check', '-o', 'json']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as { out: string; upToDate: boolean; changes: Array<{ path: string; change: string }>; changedApps: string[] };
    expect(result.upToDate).toBe(false);
    expect(result.changedApps).toEqual(['shop']);
    expect(result.changes.map((c) => `${c.change === 'added' ? '+' : '?'} ${c.path}\n`).join('')).toBe(text.stdout);
    const yaml = await cli(['render', SHOP, '--out', out, '--check', '-o', 'yaml']);
    expect(yaml.code).toBe(1);
    expect(load(yaml.stdout)).toEqual(result);
    // Written, then checked again: up to date.
    const written = await cli(['render', SHOP, '--out', out, '-o', 'json']);
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({ out, written: true, changedApps: ['shop'] });
    const again = await cli(['render', SHOP, '--out', out, '--check', '-o', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ upToDate: true, changes: [] });
  });

  it('-o DIR, the bundle directory of before, still writes there, with a warning naming --out', async () => {
    const out = join(tempDir(), 'rendered');
    const r = await cli(['render', SHOP, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `kubemin render: -o ${out} as the bundle directory is deprecated: -o is the output format (text, json, yaml); use --out ${out}\n`,
    );
    expect(readdirSync(out).sort()).toEqual(['.kubemin-bundle.json', 'shop', 'shop.plan.json']);
  });

  it('a value of -o that is no format beside --out, and -o text for the manifests: usage errors (exit 2), nothing written', async () => {
    const out = join(tempDir(), 'rendered');
    const bad = await cli(['render', SHOP, '--out', out, '-o', 'xml']);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'kubemin render: -o xml: not an output format (text, json, yaml)\n' });
    expect(existsSync(out)).toBe(false);
    const text = await cli(['render', SHOP, '-o', 'text']);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^kubemin render: -o text: the manifests are printed as yaml or json/);
  });
});

describe('plan -o', () => {
  it('text (the tree), json and yaml; --format still works, with a warning', async () => {
    const text = await cli(['plan', EXAMPLES, '--app', 'shop']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^shop/);
    const json = await cli(['plan', EXAMPLES, '--app', 'shop', '-o', 'json']);
    const plans = JSON.parse(json.stdout) as Array<{ app: string }>;
    expect(plans.map((p) => p.app)).toEqual(['shop']);
    const yaml = await cli(['plan', EXAMPLES, '--app', 'shop', '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(load(yaml.stdout)).toEqual(plans);
    const old = await cli(['plan', EXAMPLES, '--app', 'shop', '--format', 'json']);
    expect(old.stdout).toBe(json.stdout);
    expect(old.stderr).toBe('kubemin plan: --format is deprecated: use -o json\n');
    expect((await cli(['plan', EXAMPLES, '--app', 'shop', '--format', 'tree'])).stdout).toBe(text.stdout);
  });
});

describe('plugins -o', () => {
  it('json and yaml: each config with its plugins, what they define and the specs using it; text as before', async () => {
    const json = await cli(['plugins', 'examples', '-o', 'json'], REPO);
    expect(json.code).toBe(0);
    const { configs } = JSON.parse(json.stdout) as {
      configs: Array<{ config: string | null; plugins: Array<{ name: string; source: string; componentTypes: string[]; traits: string[] }>; usedBy: string[] }>;
    };
    expect(configs.map((c) => c.config)).toEqual([null, 'examples/plugins/ai-eval/kubemin.config.mjs']);
    expect(configs[1]!.plugins.map((p) => [p.name, p.source])).toEqual([
      ['kubemin', 'built-in'],
      ['ai-eval', 'examples/plugins/ai-eval/ai-eval.plugin.mjs'],
    ]);
    expect(configs[1]!.plugins[1]).toMatchObject({ componentTypes: ['ai-eval'], traits: ['serviceMonitor'] });
    expect(configs[1]!.usedBy).toEqual(['examples/plugins/ai-eval/kubemin.yaml']);
    const yaml = await cli(['plugins', 'examples', '-o', 'yaml'], REPO);
    expect(load(yaml.stdout)).toEqual({ configs });
    const text = await cli(['plugins', 'examples'], REPO);
    expect(text.stdout).toContain('examples/plugins/ai-eval/kubemin.config.mjs:\n  plugin "kubemin" (built-in)\n');
  });
});

describe('schema -o', () => {
  it('json (the default: schemas/kubemin.schema.json for the built-ins) or yaml, the same schema', async () => {
    const json = await cli(['schema'], REPO);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(readFileSync(join(REPO, 'schemas/kubemin.schema.json'), 'utf8'));
    const yaml = await cli(['schema', '-o', 'yaml'], REPO);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).not.toBe(json.stdout);
    expect(load(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });
});
