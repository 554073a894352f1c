import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../src/apply/clock.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import { recordedClient } from '../cluster/recorded-client.js';
import { Watcher, type WatchEvent } from '../../src/watch/daemon.js';
import { DirSource } from '../../src/watch/dir-source.js';
import { createLogger } from '../../src/watch/logger.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { testCluster } from '../cluster/cluster.js';
import { writeKubeconfig } from '../cluster/tokens.js';
import { tempDir } from '../helpers/cli.js';
import yaml from 'js-yaml';
import { emitApp, emitStream } from '../../src/bundle/emit-bundle.js';
import { refOf } from '../../src/k8s/object-ref.js';
import { compile } from '../../src/compile.js';
import { encodeInventory } from '../../src/inventory/inventory.js';
import type { StatusReport } from '../../src/watch/status-report.js';
import type { WatchSource } from '../../src/watch/source.js';

/**
 * The daemon's drift rounds against the real test cluster: the live objects are read once per
 * round for all the apps of the round (one LIST per kind and namespace, or per kind across
 * namespaces), not once per app; and each round reads them anew.
 */

const cluster = testCluster();

/** An app of one webservice component named after the app (apps share a namespace: their objects' names differ). */
function spec(name: string, ns: string): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: { components: [{ name, type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] }] },
  } as never);
}

interface Running {
  readonly calls: string[];
  readonly events: WatchEvent[];
  readonly logs: () => string;
  /** The requests of each drift round that completed (a round ends where the next one starts). */
  driftRounds(): string[][];
  /** Starts a round now and waits until it completed. */
  round(): Promise<void>;
}

/** `applied`: the last status reports (the source's readStatus), so that nothing is applied first. */
async function startWatcher(dir: string, apps: number, opts: { kubeconfig?: string; applied?: WatchSource['readStatus'] } = {}): Promise<Running> {
  const client = await connect({ kubeconfig: opts.kubeconfig ?? cluster.kubeconfig });
  onTestFinished(() => client.close());
  const specs = new DirSource(dir);
  const source: WatchSource = opts.applied
    ? {
        description: specs.description,
        poll: () => specs.poll(),
        files: (r) => specs.files(r),
        referencedFiles: (r) => specs.referencedFiles(r),
        revisionTime: () => specs.revisionTime(),
        revisionInfo: () => specs.revisionInfo(),
        readStatus: opts.applied,
        statusHistory: async () => [],
        writeStatus: () => Promise.resolve(),
      }
    : specs;
  const calls: string[] = [];
  const events: WatchEvent[] = [];
  let logs = '';
  const stop = new AbortController();
  const watcher = new Watcher({
    source,
    client: recordedClient(client, calls, { where: true }),
    log: createLogger({ format: 'text', write: (l) => void (logs += l) }),
    metrics: new WatchMetrics(),
    clock: systemClock,
    intervalMs: 600_000,
    appConcurrency: 4,
    prune: true,
    drift: 'report',
    isLeader: () => true,
    apply: { pollMs: 100 },
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'round') calls.push('round');
    },
  });
  const done = watcher.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await done;
  });
  const until = async (what: string, check: () => boolean): Promise<void> => {
    for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
    if (!check()) throw new Error(`timed out waiting for ${what}; log:\n${logs}`);
  };
  if (opts.applied) await until('the first round', () => events.some((e) => e.type === 'round'));
  else await until('every app applied', () => events.filter((e) => e.type === 'apply-end' && e.result.outcome === 'applied').length === apps);
  const rounds = (): number => events.filter((e) => e.type === 'round').length;
  return {
    calls,
    events,
    logs: () => logs,
    // The first round applied the apps; every later round (the same revision) is a drift round.
    driftRounds: () => {
      const split: string[][] = [];
      for (const c of calls) {
        if (c === 'round') split.push([]);
        else split.at(-1)?.push(c);
      }
      return split.slice(1, -1).map((r) => r.sort());
    },
    // A round is complete once the next one started: trigger two, wait for the second.
    round: async () => {
      const n = rounds();
      watcher.trigger();
      await until('a drift round', () => rounds() > n);
      watcher.trigger();
      await until('the next round', () => rounds() > n + 1);
    },
  };
}

function writeApps(dir: string, apps: ReadonlyArray<{ name: string; ns: string }>): void {
  for (const a of apps) {
    mkdirSync(join(dir, a.name), { recursive: true });
    writeFileSync(join(dir, a.name, 'kubemin.yaml'), spec(a.name, a.ns));
  }
}

describe('watch: drift rounds read the live objects once per round', { timeout: 180_000 }, () => {
  it('4 apps in one namespace: one LIST per kind per round, not one per app; the next round reads anew and sees a change', async () => {
    const ns = await cluster.newNamespace('watch-rounds');
    const dir = tempDir();
    const names = ['r1', 'r2', 'r3', 'r4'];
    writeApps(
      dir,
      names.map((name) => ({ name, ns })),
    );
    const w = await startWatcher(dir, names.length);

    await w.round();
    const first = w.driftRounds().at(-1);
    // Deployment, Service and the inventory ConfigMap of each of the 4 apps: three LISTs of the namespace, nothing else.
    expect(first).toEqual([`list ConfigMap in ${ns}`, `list Deployment in ${ns}`, `list Service in ${ns}`]);
    expect(w.events.filter((e) => e.type === 'drift')).toEqual([]);

    // A change by hand between rounds: the next round's LIST sees it (nothing is kept from round to round).
    await cluster.kubectl(['-n', ns, 'set', 'image', 'deployment/r3', 'r3=ghcr.io/acme/web:hotfix']);
    await w.round();
    // The last round complete began after the change.
    const last = w.driftRounds().at(-1)!;
    // The drifted Deployment is dry-run (only the server can show what an apply would change): twice,
    // since kubectl now owns the image (a conflict, then the forced dry-run that shows the change).
    expect(last).toEqual(['apply Deployment', 'apply Deployment', `list ConfigMap in ${ns}`, `list Deployment in ${ns}`, `list Service in ${ns}`]);
    expect(new Set(w.events.filter((e) => e.type === 'drift').map((e) => (e as { app: string }).app))).toEqual(new Set(['r3']));
  });

  it('apps in several namespaces: one LIST per kind across them, selected by the apps', async () => {
    const [a, b] = [await cluster.newNamespace('watch-rounds-a'), await cluster.newNamespace('watch-rounds-b')];
    const dir = tempDir();
    const apps = [
      { name: 's1', ns: a },
      { name: 's2', ns: a },
      { name: 's3', ns: b },
    ];
    writeApps(dir, apps);
    const w = await startWatcher(dir, apps.length);
    await w.round();
    expect(w.driftRounds().at(-1)).toEqual(['list ConfigMap across namespaces', 'list Deployment across namespaces', 'list Service across namespaces']);
    expect(w.events.filter((e) => e.type === 'drift')).toEqual([]);
  });

  it('credentials that may not list (as deploy/kubemin.yaml grants): a refused LIST is not sent again in the next rounds, the objects are read by GET', async () => {
    const ns = await cluster.newNamespace('watch-rounds-nolist');
    const dir = tempDir();
    const names = ['n1', 'n2'];
    writeApps(
      dir,
      names.map((name) => ({ name, ns })),
    );
    // Applied as kubemin apply leaves them (with the inventories), and reported applied: the daemon only checks for drift.
    const { apps } = compile(names.map((name) => ({ path: `${name}/kubemin.yaml`, text: spec(name, ns) })));
    const inventories = apps.map((a) =>
      encodeInventory({ app: a.name, namespace: a.namespace, objects: a.phases.flatMap((p) => p.objects.map((o) => refOf(o.object))) }),
    );
    await cluster.kubectl(['apply', '--server-side', '--field-manager=kubemin', '-f', '-'], {
      input: emitStream(apps) + inventories.map((c) => `---\n${emitYaml(c as never)}`).join(''),
    });
    const digests = new Map(apps.map((a) => [a.name, emitApp(a).planDocument.digest]));
    const applied = async (key: string): Promise<StatusReport> => ({ outcome: 'applied', bundleDigest: digests.get(key)! }) as StatusReport;

    // get and patch (dry-runs), never list, on what the apps have.
    await cluster.kubectl(['-n', ns, 'create', 'serviceaccount', 'daemon']);
    await cluster.kubectl(['-n', ns, 'create', 'role', 'daemon', '--verb=get,patch', '--resource=configmaps,services,deployments.apps']);
    await cluster.kubectl(['-n', ns, 'create', 'rolebinding', 'daemon', '--role=daemon', `--serviceaccount=${ns}:daemon`]);
    // The API server's authorizer learns of new bindings from its cache: wait until it allows what was granted.
    for (let i = 0; i < 100; i++) {
      const can = await cluster.kubectl(['auth', 'can-i', 'patch', 'deployments.apps', '-n', ns, `--as=system:serviceaccount:${ns}:daemon`]).then(
        (o) => o.trim() === 'yes',
        () => false,
      );
      if (can) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const token = (await cluster.kubectl(['-n', ns, 'create', 'token', 'daemon', '--duration', '1h'])).trim();
    const admin = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    };
    const { server, 'certificate-authority-data': caData } = admin.clusters[0]!.cluster;
    const kubeconfig = writeKubeconfig(join(tempDir(), 'kubeconfig'), { server, caData }, { name: 'daemon', user: { token } });

    const w = await startWatcher(dir, names.length, { kubeconfig, applied });
    await w.round();
    await w.round();
    const rounds = w.driftRounds();
    const gets = ['get ConfigMap', 'get ConfigMap', 'get Deployment', 'get Deployment', 'get Service', 'get Service'];
    // The first drift round tries the LISTs of the namespace (refused), then reads by GET; the later ones only GET.
    expect(rounds[0]).toEqual([...gets, `list ConfigMap in ${ns}`, `list Deployment in ${ns}`, `list Service in ${ns}`]);
    expect(rounds.length).toBeGreaterThanOrEqual(3);
    for (const r of rounds.slice(1)) expect(r).toEqual(gets);
    expect(w.events.filter((e) => e.type === 'apply-start' || e.type === 'drift')).toEqual([]);
    expect(w.logs()).not.toMatch(/error/);
  });
});
