import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../src/apply/clock.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import { ClusterError, type ClusterClient } from '../../src/cluster/types.js';
import { Watcher, type WatchEvent } from '../../src/watch/daemon.js';
import { GitRepo } from '../../src/watch/git/repo.js';
import { GitSource } from '../../src/watch/git-source.js';
import { createLogger } from '../../src/watch/logger.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { parseStatusReport } from '../../src/watch/status-report.js';
import { testCluster } from '../cluster/cluster.js';
import { git, RemoteFixture } from './git/remote-fixture.js';

/**
 * An apply that failed because of the cluster, not the bundle (the API server unreachable), is
 * applied again at the next round although no commit came; one whose bundle failed is not. Each
 * apply's status is committed, in order. The test cluster's API server, with a client that cannot
 * reach it for its first requests (as during a restart).
 */

const cluster = testCluster();

/** The real client, except that the first server-side apply of a `kind` fails as if the API server were down. */
function unreachableAtFirst(client: ClusterClient, kind: string): ClusterClient {
  let left = 1;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'apply') {
        return (...args: Parameters<ClusterClient['apply']>) => {
          if (args[0].kind === kind && left-- > 0)
            return Promise.reject(new ClusterError(undefined, 'Unavailable', 'cannot reach the API server at https://127.0.0.1:1: connect ECONNREFUSED'));
          return target.apply(...args);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('kubemin watch retries what failed because of the cluster', { timeout: 120_000 }, () => {
  // With status commits on the followed branch, the retry comes with the next revision (the first
  // status commit); on a branch of their own, in the next round without a new revision.
  for (const statusBranch of ['main', 'kubemin-status']) {
    it(`applies again at the next round, with trigger retry; both statuses are committed, in order (status branch ${statusBranch})`, async () => {
      const ns = await cluster.newNamespace('watch-retry');
      const fx = new RemoteFixture();
      const spec = emitYaml({
        apiVersion: 'kubemin.dev/v1alpha1',
        kind: 'Application',
        metadata: { name: 'shop', namespace: ns },
        spec: { components: [{ name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] }] },
      } as never);
      const commit = fx.commit('shop', { 'apps/shop/kubemin.yaml': spec });
      const real = await connect({ kubeconfig: cluster.kubeconfig });
      onTestFinished(() => real.close());
      const repo = await GitRepo.open({
        url: fx.remote,
        branch: 'main',
        workDir: fx.workDir('daemon'),
        statusBranch,
        author: { name: 'kubemin', email: 'kubemin@localhost' },
      });
      const events: WatchEvent[] = [];
      let logs = '';
      const stop = new AbortController();
      const watcher = new Watcher({
        source: new GitSource(repo, { url: fx.remote, branch: 'main', path: 'apps' }),
        client: unreachableAtFirst(real, 'Deployment'),
        log: createLogger({ format: 'text', write: (l) => void (logs += l) }),
        metrics: new WatchMetrics(),
        clock: systemClock,
        intervalMs: 300,
        appConcurrency: 1,
        prune: true,
        drift: 'off',
        isLeader: () => true,
        apply: { pollMs: 200 },
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'status-written' && e.report.outcome === 'applied') stop.abort();
        },
      });
      const running = watcher.run(stop.signal);
      onTestFinished(() => {
        stop.abort();
        return running;
      });
      const deadline = setTimeout(() => stop.abort(), 90_000);
      await running;
      clearTimeout(deadline);

      const ends = events.filter((e): e is Extract<WatchEvent, { type: 'apply-end' }> => e.type === 'apply-end');
      expect(
        ends.map((e) => `${e.report.trigger} ${e.result.outcome}`),
        logs,
      ).toEqual(['commit failed', 'retry applied']);
      expect(ends[0]!.result.failure?.message).toMatch(new RegExp(`^Deployment ${ns}/web .*: Unavailable: cannot reach the API server`));
      expect(logs).toMatch(/error apply failed app=shop .*retry="next round"/);
      // One status commit per apply, in the order they happened (the retry ran at the branch's tip then: the first status commit).
      expect(git(fx.remote, 'log', '--reverse', '--format=%s', '--author=kubemin@localhost', statusBranch).split('\n')).toEqual([
        `kubemin: shop failed at ${commit.slice(0, 7)} [skip ci]`,
        expect.stringMatching(/^kubemin: shop applied at [0-9a-f]{7} \[skip ci\]$/),
      ]);
      expect(parseStatusReport(fx.files(statusBranch).get('.kubemin/status/shop.yaml'))).toMatchObject({
        outcome: 'applied',
        trigger: 'retry',
        lastFailure: { commit },
      });
    });
  }
});
