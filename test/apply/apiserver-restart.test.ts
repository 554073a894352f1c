import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { testCluster } from '../cluster/cluster.js';
import { startPrivateCluster } from '../cluster/private-cluster.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * The API server restarts while `kubemin apply` waits for a phase. This test has a cluster of its
 * own (scripts/test-cluster.sh with its own state directory), so that restarting its API server
 * cannot disturb the tests that share the suite's cluster.
 */

const run = promisify(execFile);

describe('an API server restart during apply', { timeout: 240_000 }, () => {
  it('is waited out: the apply goes on and finishes', async () => {
    expect(testCluster().kubeconfig).toBeTruthy(); // fails the test, with the reason, when the test cluster cannot run at all
    const cluster = await startPrivateCluster(REPO, join(tempDir('kubemin-restart-'), 'cluster'));
    onTestFinished(() => cluster.down());
    const kubeconfig = cluster.kubeconfig;

    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    const components = [
      { name: 'settings', type: 'config', data: { A: 'b' } },
      { name: 'slow', type: 'worker', image: 'ghcr.io/acme/slow:slow' }, // Ready 30 s after it is scheduled
    ];
    const spec = {
      apiVersion: 'kubemin.dev/v1alpha1',
      kind: 'Application',
      metadata: { name: 'restart', namespace: 'restart' },
      spec: {
        createNamespace: true,
        components,
        workflow: {
          steps: [
            { name: 'config', components: ['settings'] },
            { name: 'app', components: ['slow'] },
          ],
        },
      },
    };
    writeFileSync(join(dir, 'app', 'kubemin.yaml'), emitYaml(spec as never));

    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      'test/helpers/kubemin-process.ts',
      'apply',
      dir,
      '--kubeconfig',
      kubeconfig,
      '--poll-interval',
      '500ms',
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'wait', '--for=create', '-n', 'restart', 'deployment/slow', '--timeout=60s']);
    await cluster.restartApiServer();
    // The apply was waiting for phase 3 all along (the pod takes 30 s; the restart a few).
    expect(out).toMatch(/\n  02-config\s+ready/);
    expect(out).not.toMatch(/03-app/);

    expect(await exited).toBe(0);
    expect(out).toMatch(/\n  03-app\s+ready .*1 object \(1 created\)\nrestart: applied in/);
  });
});
