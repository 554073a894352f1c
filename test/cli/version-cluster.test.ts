import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { builtBinary } from '../plugins/built-binary.js';

/** `kubemin version` (and diff's and apply's -o yaml), against the real test cluster. */
const cluster = testCluster();
const CLIENT = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

let kubemin: string;
beforeAll(async () => {
  kubemin = await builtBinary();
}, 60_000);

/** bin/kubemin.js as its own process (its version from the package.json beside it), with a HOME of its own (no ~/.kube/config) and only the environment given. */
function run(args: readonly string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const { KUBECONFIG: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, [kubemin, ...args], {
    cwd: tempDir(),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...rest, HOME: tempDir(), NO_COLOR: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kubemin version', () => {
  it("with a kubeconfig (--kubeconfig or KUBECONFIG): the client's and the server's version, as kubectl version sees the server", async () => {
    const server = (await cluster.kubectlJson<{ serverVersion: { gitVersion: string; major: string; minor: string } }>(['version'])).serverVersion;
    expect(server.gitVersion).toMatch(/^v1\.\d+/);
    const text = run(['version', '--kubeconfig', cluster.kubeconfig]);
    expect(text).toEqual({ code: 0, stdout: `Client Version: ${CLIENT}\nServer Version: ${server.gitVersion}\n`, stderr: '' });
    expect(run(['version'], { KUBECONFIG: cluster.kubeconfig })).toEqual(text);
    const json = run(['version', '-o', 'json'], { KUBECONFIG: cluster.kubeconfig });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { clientVersion: { gitVersion: string }; serverVersion: Record<string, string> };
    expect(parsed.clientVersion).toEqual({ gitVersion: CLIENT });
    expect(parsed.serverVersion).toMatchObject(server);
    const yaml = run(['version', '-o', 'yaml', '--kubeconfig', cluster.kubeconfig]);
    expect(load(yaml.stdout)).toEqual(parsed);
  });

  it("without a kubeconfig, or with --client: the client's version only", () => {
    const alone = run(['version']);
    expect(alone).toEqual({ code: 0, stdout: `Client Version: ${CLIENT}\n`, stderr: '' });
    expect(run(['version', '--client', '--kubeconfig', cluster.kubeconfig])).toEqual(alone);
    expect(JSON.parse(run(['version', '-o', 'json']).stdout)).toEqual({ clientVersion: { gitVersion: CLIENT } });
  });

  it("a kubeconfig that cannot be read, or a server that cannot be reached: the client's version, then one line why, exit 2", () => {
    const missing = join(tempDir(), 'nope');
    const r = run(['version', '--kubeconfig', missing]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`Client Version: ${CLIENT}\n`);
    expect(r.stderr).toMatch(new RegExp(`^kubemin: the server's version: cannot load kubeconfig ${missing}: .*\\n$`));
    // The test cluster's kubeconfig, pointing at a port where nothing listens.
    const dead = join(tempDir(), 'kubeconfig');
    writeFileSync(dead, readFileSync(cluster.kubeconfig, 'utf8').replace(/server: https:\/\/[^\s]+/, 'server: https://127.0.0.1:1'));
    const down = run(['version', '--kubeconfig', dead]);
    expect(down.code).toBe(2);
    expect(down.stdout).toBe(`Client Version: ${CLIENT}\n`);
    expect(down.stderr).toMatch(/^kubemin: the server's version: cannot reach the API server at https:\/\/127\.0\.0\.1:1: .*\n$/);
  });
});

describe('kubemin apply --dry-run -o yaml', () => {
  it('is the same data as -o json', async () => {
    const shop = join(REPO, 'examples/shop');
    const args = ['apply', shop, '--dry-run', '--kubeconfig', cluster.kubeconfig];
    const json = await cli([...args, '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const yaml = await cli([...args, '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    // Two runs: durations may differ.
    const timeless = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'durationMs' ? undefined : v)));
    const data = JSON.parse(json.stdout) as { apps: Array<{ outcome: string }> };
    expect(data.apps.map((a) => a.outcome)).toEqual(['planned']);
    expect(timeless(load(yaml.stdout))).toEqual(timeless(data));
  });
});

describe('kubemin diff -o yaml', () => {
  it('is the same data as -o json', async () => {
    const shop = join(REPO, 'examples/shop');
    const json = await cli(['diff', shop, '--kubeconfig', cluster.kubeconfig, '-o', 'json']);
    expect(json.code, json.stderr).toBe(1);
    const yaml = await cli(['diff', shop, '--kubeconfig', cluster.kubeconfig, '-o', 'yaml']);
    expect(yaml.code).toBe(1);
    expect(load(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });
});
