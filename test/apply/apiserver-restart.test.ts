import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';

/**
 * The API server restarts while `kubemin apply` waits for a phase. This test has a cluster of its
 * own (scripts/test-cluster.sh with its own state directory), so that restarting its API server
 * cannot disturb the tests that share the suite's cluster.
 */

const run = promisify(execFile);
const SCRIPT = 'scripts/test-cluster.sh';

describe('an API server restart during apply', { timeout: 240_000 }, () => {
  it('is waited out: the apply goes on and finishes', async () => {
    testCluster().kubeconfig; // fails the test, with the reason, when the test cluster cannot run at all
    const state = join(tempDir('kubemin-restart-'), 'cluster');
    const env = { ...process.env, KUBEMIN_TEST_CLUSTER_DIR: state, KUBEMIN_TEST_CLUSTER_HOLDER: String(process.pid) };
    onTestFinished(async () => {
      await run('bash', [SCRIPT, 'down'], { env });
      rmSync(state, { recursive: true, force: true });
    });
    const up = await run('bash', [SCRIPT, 'up', '--no-build'], { env });
    const kubeconfig = /KUBECONFIG=(.+)$/.exec(up.stdout.trim())![1]!;

    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    const components = [
      { name: 'settings', type: 'config', data: { A: 'b' } },
      { name: 'slow', type: 'worker', image: 'ghcr.io/acme/slow:slow' }, // Ready 30 s after it is scheduled
    ];
    const spec = { apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name: 'restart', namespace: 'restart' }, spec: { createNamespace: true, components, workflow: { steps: [{ name: 'config', components: ['settings'] }, { name: 'app', components: ['slow'] }] } } };
    writeFileSync(join(dir, 'app', 'kubemin.yaml'), emitYaml(spec as never));

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/kubemin-process.ts', 'apply', dir, '--kubeconfig', kubeconfig, '--poll-interval', '500ms']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'wait', '--for=create', '-n', 'restart', 'deployment/slow', '--timeout=60s']);
    await run('bash', [SCRIPT, 'restart', 'kube-apiserver'], { env });
    // The apply was waiting for phase 3 all along (the pod takes 30 s; the restart a few).
    expect(out).toMatch(/\n  02-config\s+ready/);
    expect(out).not.toMatch(/03-app/);

    expect(await exited).toBe(0);
    expect(out).toMatch(/\n  03-app\s+ready .*1 object \(1 created\)\nrestart: applied in/);
  });
});
