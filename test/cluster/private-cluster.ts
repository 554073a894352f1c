/**
 * A test cluster of a test's own (scripts/test-cluster.sh with its own state directory,
 * KUBEMIN_TEST_CLUSTER_DIR), for what would disturb the tests that share the suite's cluster:
 * restarting its API server (the soak, apply during a restart), tainting its nodes.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivateCluster {
  readonly kubeconfig: string;
  /** `scripts/test-cluster.sh restart kube-apiserver`: resolves once it is ready again. */
  restartApiServer(): Promise<void>;
  down(): Promise<void>;
}

export async function startPrivateCluster(repoRoot: string, stateDir: string): Promise<PrivateCluster> {
  const script = join(repoRoot, 'scripts', 'test-cluster.sh');
  const env = { ...process.env, KUBEMIN_TEST_CLUSTER_DIR: stateDir, KUBEMIN_TEST_CLUSTER_HOLDER: String(process.pid) };
  const call = (...args: string[]) => run('bash', [script, ...args], { env, cwd: repoRoot, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  let up: { stdout: string; stderr: string };
  try {
    up = await call('up', '--no-build');
  } catch (err) {
    await call('down').catch(() => undefined);
    throw new Error(`a test cluster of this test's own could not start: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`, {
      cause: err,
    });
  }
  const kubeconfig = /KUBECONFIG=(.+)$/.exec(up.stdout.trim())?.[1];
  if (!kubeconfig) throw new Error(`scripts/test-cluster.sh up printed no KUBECONFIG: ${up.stdout}${up.stderr}`);
  return {
    kubeconfig,
    restartApiServer: async () => void (await call('restart', 'kube-apiserver')),
    down: async () => {
      await call('down').catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
