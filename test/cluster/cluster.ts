import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inject, onTestFinished } from 'vitest';

/**
 * The real Kubernetes test cluster started by test/cluster/global-setup.ts (README, "Test
 * cluster"):
 *
 *   const cluster = testCluster();
 *   it('...', async () => {
 *     const ns = await cluster.newNamespace('diff');
 *     await cluster.kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml });
 *   });
 *
 * Importing this file is what tells the global setup that a test file needs the cluster. When it
 * could not be started, testCluster() still returns, but every use of it (kubeconfig included)
 * throws why: the tests that use the cluster fail, one by one; they are never skipped. (A throw in
 * beforeAll would leave them "skipped" in the summary line, so use the cluster inside the tests.)
 */
export interface TestCluster {
  /** Path of the admin kubeconfig (client certificate in group system:masters). */
  kubeconfig: string;
  /** Runs kubectl (/usr/bin/kubectl, or $KUBECTL) with --kubeconfig; resolves stdout, rejects on a non-zero exit. */
  kubectl(args: readonly string[], options?: KubectlOptions): Promise<string>;
  /** kubectl ... -o json, parsed. */
  kubectlJson<T = any>(args: readonly string[], options?: KubectlOptions): Promise<T>;
  /**
   * Creates a namespace named `<prefix>-<random>` and waits for its default ServiceAccount (pods
   * are refused before it exists). Call it inside a test: the namespace is deleted when the test
   * finishes (without waiting for its contents to go).
   */
  newNamespace(prefix: string): Promise<string>;
}

interface KubectlOptions {
  /** Written to kubectl's standard input (for `apply -f -`). */
  input?: string;
  /** Kill kubectl after this long (default 120 s); prefer kubectl's own --timeout for waits. */
  timeoutMs?: number;
}

export class KubectlError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(' ')} failed (${exitCode}): ${stderr.trim() || stdout.trim()}`);
    this.name = 'KubectlError';
  }
}

const KUBECTL = process.env.KUBECTL || '/usr/bin/kubectl';

export function testCluster(): TestCluster {
  const kubeconfig = inject('kubeconfig') || process.env.KUBEMIN_TEST_KUBECONFIG || '';
  if (!kubeconfig) {
    const reason = inject('testClusterError') || 'the test cluster is not running: is test/cluster/global-setup.ts in the globalSetup of vitest.config.ts?';
    const fail = (): never => {
      throw new Error(reason);
    };
    return {
      get kubeconfig(): string {
        return fail();
      },
      kubectl: async () => fail(),
      kubectlJson: async () => fail(),
      newNamespace: async () => fail(),
    };
  }

  const kubectl = (args: readonly string[], options: KubectlOptions = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, ...args],
        { timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new KubectlError(args, error.code ?? error.signal ?? null, stdout, stderr));
          else resolve(stdout);
        },
      );
      // kubectl may exit before it reads its input (a command that takes none, or fails at once):
      // EPIPE then says nothing its exit status does not, and must not be an uncaught error.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input ?? '');
    });

  const kubectlJson = async <T>(args: readonly string[], options?: KubectlOptions): Promise<T> =>
    JSON.parse(await kubectl([...args, '-o', 'json'], options)) as T;

  const newNamespace = async (prefix: string): Promise<string> => {
    const base =
      prefix
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 50) || 'test';
    const name = `${base}-${randomBytes(4).toString('hex')}`;
    try {
      onTestFinished(async () => {
        await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
      });
    } catch (cause) {
      throw new Error('newNamespace() must be called inside a test (its namespace is deleted when the test finishes)', { cause });
    }
    await kubectl(['create', 'namespace', name]);
    await kubectl(['wait', '--for=create', '-n', name, 'serviceaccount/default', '--timeout=60s']);
    return name;
  };

  return { kubeconfig, kubectl, kubectlJson, newNamespace };
}
