import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: starts the test cluster (scripts/test-cluster.sh, README "Test cluster") once
 * per run when a selected test file uses it, and stops it at the end. Tests get the kubeconfig
 * through `testCluster()` (test/cluster/cluster.ts), i.e. `inject('kubeconfig')`, also exported as
 * the environment variable KUBEMIN_TEST_KUBECONFIG.
 *
 * This setup never fails the run: when the cluster cannot be started it provides the reason as
 * `testClusterError`, and every test that asks for the cluster fails with it. A cluster already
 * started by hand (`npm run cluster:up`) is reused and left running.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the test cluster's admin kubeconfig; '' when the cluster is not running. */
    kubeconfig: string;
    /** Why the test cluster is not running; '' when it is (or was not needed). */
    testClusterError: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(root, 'scripts/test-cluster.sh');

/** How a test file shows that it uses the cluster. */
const USES_CLUSTER = /cluster\/cluster(\.[jt]s)?['"]|['"]\.\/cluster(\.[jt]s)?['"]|KUBEMIN_TEST_KUBECONFIG|inject\(\s*['"]kubeconfig['"]/;

/** Whether a test file selected for this run uses the cluster (true when that cannot be told). */
async function clusterNeeded(project: TestProject): Promise<boolean> {
  try {
    // The command line's file filters (internal to Vitest, hence the guard): `vitest run test/cli`.
    const filters = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern;
    const { testFiles } = await project.globTestFiles(Array.isArray(filters) ? (filters as string[]) : undefined);
    for (const file of testFiles) {
      if (USES_CLUSTER.test(await readFile(file, 'utf8'))) return true;
    }
    return false;
  } catch {
    return true;
  }
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [script, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && !stdout ? String(error.message) : '') });
    });
  });
}

/** `scripts/test-cluster.sh build`, its progress on stderr as it happens. */
function build(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script, 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!(await clusterNeeded(project))) {
    project.provide('kubeconfig', '');
    project.provide(
      'testClusterError',
      'the test cluster was not started: no test file selected for this run imports test/cluster/cluster.ts (restart Vitest to select one)',
    );
    return undefined;
  }
  const holder = String(process.pid);
  const started = Date.now();
  const env = { ...process.env, KUBEMIN_TEST_CLUSTER_HOLDER: holder };
  let result = await run(['up', '--no-build'], env);
  if (result.code !== 0 && /binaries not built/.test(result.stderr)) {
    // A new machine: build them now (once, 6 to 8 minutes), showing the build's progress.
    process.stderr.write("[test-cluster] the test cluster's binaries are not built yet: building them from source now (6 to 8 minutes, once per machine)\n");
    const built = await build();
    result =
      built === 0
        ? await run(['up', '--no-build'], env)
        : { code: built, stdout: '', stderr: 'binaries not built: building them failed (see the build output above)' };
  }
  const kubeconfig = /^KUBECONFIG=(.+)$/m.exec(result.stdout.trim().split('\n').pop() ?? '')?.[1] ?? '';
  if (result.code !== 0 || !kubeconfig) {
    const notBuilt = /binaries not built/.test(result.stderr);
    const how = notBuilt
      ? process.env.CI === 'true'
        ? '.ci/run builds them before the tests, and the test run tried again: see the build output for why it failed'
        : 'building them failed (see above): fix that and run `npm run cluster:build`, or point KUBEBUILDER_ASSETS at a directory that has them'
      : 'see the component logs named above; `npm run cluster:up` shows the same';
    const reason = `the test cluster could not be started (scripts/test-cluster.sh up exited ${result.code}): ${how}\n${result.stderr.trim()}`;
    project.provide('kubeconfig', '');
    project.provide('testClusterError', reason);
    process.stderr.write(`\n[test-cluster] ${reason}\n\n`);
    // The holder may have been registered before the failure: let go of it.
    return async () => void (await run(['release', holder]));
  }
  process.stderr.write(`[test-cluster] up in ${((Date.now() - started) / 1000).toFixed(1)} s: KUBECONFIG=${kubeconfig}\n`);
  project.provide('kubeconfig', kubeconfig);
  project.provide('testClusterError', '');
  process.env.KUBEMIN_TEST_KUBECONFIG = kubeconfig;
  return async () => {
    // Silent unless it fails, and then only outside CI: the run's last line is the test summary.
    const down = await run(['release', holder]);
    if (down.code !== 0 && process.env.CI !== 'true') {
      process.stderr.write(`[test-cluster] stopping the cluster failed (npm run cluster:down):\n${down.stderr}\n`);
    }
  };
}
