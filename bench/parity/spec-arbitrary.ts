/**
 * Random kubemin applications for the differential test against the API server
 * (test/parity/api-parity.test.ts, and the `parity` bench section with more cases): components
 * of every type with every trait, and values on both sides of the limits Kubernetes sets (names
 * of 52 to 64 characters, int32 bounds, zero and negative quantities, keys with odd characters,
 * IP addresses and wildcards as hosts...).
 *
 * Each value that has an invalid side is drawn as a slot: a valid value, and the invalid ones it
 * could be. An application is first drawn with every slot valid (values near the limits
 * included); then, in about half the cases, exactly one slot takes one of its invalid values. So
 * about half the specs are meant to compile, with everything in them, and each of the others
 * probes one check that kubemin must make. Whatever kubemin accepts, the API server must accept.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, unknown>;

/** A value with an invalid side: `good` unless this is the slot the case mutates. */
class Slot {
  constructor(
    readonly good: unknown,
    readonly bad: readonly unknown[],
  ) {}
}

/** A mapping drawn as entries, so that its keys can be slots too (the first of two equal keys wins). */
class Dict {
  constructor(readonly entries: ReadonlyArray<readonly [unknown, unknown]>) {}
}

/** One of `good`, as a slot that may instead be one of `bad`. */
function edge<T>(good: readonly T[], bad: readonly T[]): fc.Arbitrary<T> {
  const g = fc.constantFrom(...good);
  return (bad.length ? g.map((v) => new Slot(v, bad)) : g) as fc.Arbitrary<T>;
}

/** The valid side of a drawn value (for uniqueness selectors). */
function good(v: unknown): unknown {
  return v instanceof Slot ? v.good : v;
}

function dict<K, V>(keys: fc.Arbitrary<K>, values: fc.Arbitrary<V>, opts: { minKeys?: number; maxKeys: number }): fc.Arbitrary<Record<string, V>> {
  return fc.array(fc.tuple(keys, values), { minLength: opts.minKeys ?? 0, maxLength: opts.maxKeys }).map((e) => new Dict(e)) as unknown as fc.Arbitrary<
    Record<string, V>
  >;
}

/** Sometimes present (1 in `of`). */
function maybe<T>(arb: fc.Arbitrary<T>, of = 3): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: of - 1 }, { arbitrary: arb, weight: 1 });
}

const letters = (n: number, c = 'a'): string => c.repeat(n);
const label = (n: number): string => `a${'b'.repeat(Math.max(0, n - 2))}${n > 1 ? 'c' : ''}`.slice(0, n);

// ---- names and keys
const componentNames = edge(
  ['web', 'api', 'db', 'cache', 'worker-1', 'x', label(40), label(52)],
  ['1web', 'Web', label(53), label(54), label(63), label(64), 'web-', 'kubemin-inventory-x', 'a_b'],
);
const dnsLabels = edge(['data', 'cfg', 'settings', 'auth', 'tls', label(63)], ['Data', label(64), '-x', 'a.b']);
const configKeys = edge(
  ['KEY', 'key.name', 'key-name', 'KEY_NAME', '.hidden', 'a..b', letters(253, 'k'), 'config.json', '1'],
  ['bad key', '../x', '..x', '.', '..', '', 'a/b', letters(254, 'k'), 'é'],
);
const labelKeys = edge(
  ['team', 'example.com/team', 'a.b/c_d', letters(63, 'k'), `${letters(253, 'p')}/n`],
  [
    '-team',
    'a/b/c',
    letters(64, 'k'),
    'Example.com/x',
    `${letters(254, 'p')}/n`,
    '',
    'job-name',
    'batch.kubernetes.io/controller-uid',
    'app.kubernetes.io/name',
  ],
);
const labelValues = edge(['', 'payments', 'a_b.c-d', letters(63, 'v'), '1'], [letters(64, 'v'), '-x', 'a b', 'x_']);
const envNames = edge(['A', 'MY_VAR', 'my.var', 'x-y', '_X', 'A1', '1X', 'a b', '$X', '~'], ['A=B', '', 'é', 'A\tB']);
const images = edge(
  [
    'ghcr.io/acme/app:1.0',
    'nginx',
    'registry.example.com:5000/a/b:2',
    'busybox@sha256:' + letters(64, 'a'),
    'nginx:1.0-',
    `nginx:${letters(64, 't')}`,
    'nginx:_x',
    'nginx:latest',
  ],
  ['', ' ', 'nginx ', ' nginx', 'ngi nx'],
);
const int32s = (good: number[]): fc.Arbitrary<number> => edge(good, [2147483648, 1e12, -1]);

// ---- quantities
const cpuAmounts = edge(
  ['250m', '1', '0', '2', '0.5', '1e3', '100m', '1e-3', '.5', '+1', '1e400', '1e-400', '0.1n', '9223372036854775807'],
  ['-1', '-250m', '1x', '', '-1e-400'],
);
const memoryAmounts = edge(['128Mi', '1Gi', '0', '1.5Gi', '1e9', '100M', '512Ki', '1E', '99999999999999999999Ei', '0.5'], ['-1Gi', '1GB', '1gi']);
const sizes = edge(['1Gi', '500Mi', '10Gi', '1', '1e3', '0.5Gi', '1Ki', '1e-400', '1n', '0.5', '1e400'], ['0', '-1Gi', '0Gi', '1GB', '-0']);
const wholeAmounts = edge(['1', '2', '0', '1k', '4'], ['0.5', '1500m', '1e-1']);

const labels = dict(labelKeys, labelValues, { maxKeys: 2 });

function annotations(big: boolean): fc.Arbitrary<Record<string, string>> {
  const values = big ? edge(['x', letters(200_000, 'a')], [letters(263_000, 'b')]) : edge(['x', 'y z', ''], []);
  return dict(edge(['note', 'example.com/note', 'A.Example.com/Note'], ['bad key', '/x']), values, { maxKeys: 2 });
}

// ---- traits
const storageEntry = fc
  .record(
    {
      name: dnsLabels,
      type: edge(['persistent', 'ephemeral', 'config', 'secret', 'host-mounted'], []),
      hostPath: edge(['/var/log', '/data'], ['/a/../b', 'rel']),
      mountPath: maybe(edge(['/data', '/mnt/data', '/tmp', '/var/lib/x'], ['data', '/a/../b'])),
      subPath: maybe(edge(['sub', 'a/b', 'x.txt'], ['/abs', '../x', 'a/../b']), 5),
      size: maybe(sizes),
      storageClass: maybe(edge(['standard', 'fast.ssd', 'a-b'], ['Fast_SSD', letters(254, 's')]), 4),
      accessMode: maybe(edge(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod'], []), 4),
      sourceName: dnsLabels,
      readOnly: maybe(fc.boolean(), 4),
      // Objects the app does not create: names are DNS subdomains; some keys only; optional.
      claimName: maybe(edge(['shared', 'nfs.shared-data', letters(253, 'c')], ['Shared', letters(254, 'c'), 'a_b']), 4),
      items: maybe(
        fc.uniqueArray(fc.record({ key: configKeys, path: edge(['a', 'dir/b.pem', '.x'], ['/abs', '../x', '..data', 'a/../b']) }), {
          minLength: 1,
          maxLength: 2,
          selector: (i) => String(good(i.path)),
        }),
        4,
      ),
      optional: maybe(fc.boolean(), 4),
    },
    { requiredKeys: ['name', 'type', 'sourceName', 'hostPath'] },
  )
  .map((s): Obj => {
    const out: Obj = { name: s.name, type: s.type, mountPath: s.mountPath, subPath: s.subPath, readOnly: s.readOnly };
    if (s.type === 'persistent')
      Object.assign(out, s.claimName === undefined ? { size: s.size, storageClass: s.storageClass, accessMode: s.accessMode } : { claimName: s.claimName });
    if (s.type === 'ephemeral') out.size = s.size;
    if (s.type === 'config' || s.type === 'secret') Object.assign(out, { sourceName: s.sourceName, items: s.items, optional: s.optional });
    if (s.type === 'host-mounted') out.hostPath = s.hostPath;
    return out;
  });

const keyRef = fc.record({ name: dnsLabels, key: configKeys });
const fieldPaths = edge(
  [
    'metadata.name',
    'metadata.namespace',
    'status.podIP',
    'spec.nodeName',
    "metadata.labels['team']",
    "metadata.annotations['Example.com/Note']",
    'status.hostIPs',
  ],
  ["metadata.labels['bad key']", 'metadata.podName', "metadata.labels['']"],
);
const envEntry = fc.oneof(
  fc.record({ name: envNames, value: fc.constantFrom('1', '', 'a b') }),
  fc.record({ name: envNames, valueFrom: fc.oneof(fc.record({ secret: keyRef }), fc.record({ config: keyRef }), fc.record({ field: fieldPaths })) }),
);
const envFromEntry = fc.record({ type: fc.constantFrom('config', 'secret'), sourceName: dnsLabels, prefix: maybe(edge(['APP_', 'X.', 'a-'], ['A=B', 'é'])) });

const resourceNames = edge(['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu', 'example.com/fpga', 'hugepages-2Mi'], ['gpu', 'foo', 'kubernetes.io/x']);
/** An amount that suits the resource (whole GPUs, huge pages in pages), or anything for names kubemin refuses. */
const amountFor = (name: string): fc.Arbitrary<string> =>
  name === 'cpu'
    ? cpuAmounts
    : name === 'memory' || name === 'ephemeral-storage'
      ? memoryAmounts
      : name.startsWith('hugepages-')
        ? edge(['2Mi', '4Mi', '0.5Gi'], ['1Mi', '3Mi', '0'])
        : name.includes('/')
          ? wholeAmounts
          : cpuAmounts;
const resourceMap = fc
  .uniqueArray(resourceNames, { minLength: 1, maxLength: 3, selector: (n) => String(good(n)) })
  .chain((names) => fc.tuple(...names.map((n) => amountFor(String(good(n))))).map((amounts) => new Dict(names.map((n, i) => [n, amounts[i]] as const))))
  .map((d) =>
    d.entries.some(([n]) => String(good(n)).startsWith('hugepages-')) ? new Dict([...d.entries, ['memory', '1Gi'] as const]) : d,
  ) as unknown as fc.Arbitrary<Record<string, string>>;
const resources = fc.oneof(
  fc
    .record({ cpu: maybe(cpuAmounts, 2), memory: maybe(memoryAmounts, 2), gpu: maybe(int32s([0, 1, 2]), 4) })
    .map((r) => (r.cpu === undefined && r.memory === undefined && r.gpu === undefined ? { cpu: '100m' } : r)),
  fc.record({ requests: maybe(resourceMap, 2), limits: maybe(resourceMap, 2) }).map((r) => (r.requests || r.limits ? r : { limits: { memory: '1Gi' } })),
  // Requests equal to limits: what a careful user writes, extended resources and huge pages included.
  resourceMap.map((m) => ({ requests: m, limits: m })),
  fc.record({ limits: resourceMap }),
);

const portRefs = fc.oneof({ arbitrary: edge([80, 8080, 1, 65535], []), weight: 8 }, { arbitrary: fc.constant('http'), weight: 1 });
const probe = fc
  .record(
    {
      type: fc.constantFrom('liveness', 'readiness', 'startup'),
      handler: fc.oneof(
        fc.record({ exec: fc.record({ command: fc.constant(['true']) }) }),
        fc.record({
          httpGet: fc.record(
            {
              path: edge(['/', '/healthz', '/a/b?x=1'], []),
              port: portRefs,
              scheme: maybe(fc.constantFrom('HTTP', 'HTTPS')),
              httpHeaders: maybe(
                fc.array(fc.record({ name: edge(['X-Probe', 'Accept', 'a1'], ['X Probe', 'X:Y', '']), value: fc.constant('1') }), { maxLength: 2 }),
              ),
            },
            { requiredKeys: ['path', 'port'] },
          ),
        }),
        fc.record({ tcpSocket: fc.record({ port: portRefs }) }),
        fc.record({ grpc: fc.record({ port: edge([9090, 1, 65535], []), service: maybe(fc.constantFrom('', 'health')) }) }),
      ),
      initialDelaySeconds: maybe(int32s([0, 5, 2147483647])),
      periodSeconds: maybe(int32s([1, 10, 2147483647])),
      timeoutSeconds: maybe(int32s([1, 3])),
      failureThreshold: maybe(int32s([1, 3])),
      successThreshold: maybe(edge([1], [2])),
    },
    { requiredKeys: ['type', 'handler'] },
  )
  .map(({ handler, ...p }) => ({ ...p, ...handler }));

const rbacRule = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      apiGroups: maybe(edge([[''], ['apps'], ['', 'batch']], [[]])),
      resources: edge([['pods'], ['deployments', 'pods']], [[]]),
      resourceNames: maybe(fc.constant(['x'])),
      verbs: edge([['get'], ['get', 'list']], [[]]),
    }),
  },
  { weight: 2, arbitrary: fc.record({ nonResourceURLs: fc.constant(['/metrics']), verbs: fc.constant(['get']), resources: maybe(fc.constant(['pods']), 8) }) },
  { weight: 1, arbitrary: fc.record({ verbs: fc.constant(['get']) }) },
);
const rbacEntry = fc.record(
  {
    serviceAccount: maybe(dnsLabels),
    clusterScope: maybe(fc.boolean()),
    automountServiceAccountToken: maybe(fc.boolean()),
    rules: maybe(fc.array(rbacRule, { maxLength: 2 }), 2),
  },
  { requiredKeys: [] },
);

/** A preStop hook: the kubelet's sleep action or a command. */
const lifecycle = fc.record({
  preStop: fc.oneof(fc.record({ sleepSeconds: edge([1, 5, 29], [0, -1, 2147483648]) }), fc.record({ command: fc.constant(['/bin/sh', '-c', 'sleep 1']) })),
});
const containerTraits = fc.record(
  {
    storage: maybe(fc.uniqueArray(storageEntry, { minLength: 1, maxLength: 2, selector: (e) => String(good(e.name)) })),
    envs: maybe(fc.array(envEntry, { maxLength: 2 })),
    resources: maybe(resources),
    probes: maybe(fc.array(probe, { maxLength: 1 }), 4),
    lifecycle: maybe(lifecycle, 8),
  },
  { requiredKeys: [] },
);
const extraContainer = fc.record(
  {
    name: edge(['init-a', 'side-b', 'helper', label(63)], ['Helper', label(64)]),
    image: images,
    command: maybe(fc.constant(['sh', '-c', 'sleep 1'])),
    traits: maybe(containerTraits),
  },
  { requiredKeys: ['name', 'image'] },
);

const hosts = edge(
  ['shop.example.com', '*.example.com', 'a.b', `${letters(63, 'h')}.com`, `${letters(60, 'h')}.${letters(60, 'h')}.${letters(60, 'h')}.${letters(60, 'h')}.io`],
  [
    '10.0.0.1',
    '*.*.example.com',
    'Shop.example.com',
    `*.${letters(62, 'h')}.${letters(62, 'h')}.${letters(62, 'h')}.${letters(62, 'h')}.io`,
    'shop_1.example.com',
    '2001:db8::1',
  ],
);
const ingressEntry = fc.record(
  {
    name: maybe(dnsLabels, 4),
    hosts: maybe(fc.array(hosts, { minLength: 1, maxLength: 2 })),
    className: maybe(edge(['nginx', 'public.nginx'], ['Nginx', 'a b'])),
    annotations: maybe(annotations(false), 4),
    tls: maybe(
      fc.array(fc.record({ secretName: dnsLabels, hosts: maybe(fc.array(hosts, { maxLength: 1 })) }, { requiredKeys: ['secretName'] }), { maxLength: 1 }),
      4,
    ),
    defaultPathType: maybe(fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific'), 4),
    routes: maybe(
      fc.array(
        fc.record(
          {
            path: maybe(edge(['/', '/api', '/a-b/c', '/v1.2'], ['/a//b', '/a/.', '/a/../b', '/a%2Fb', 'api'])),
            pathType: maybe(fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific'), 4),
            host: maybe(hosts, 4),
            backend: maybe(
              fc.record({
                service: edge(['other', 'svc-a'], ['1svc', 'Svc']),
                port: edge([80, 'http', 'metrics', 65535], [0, 'Http', 'a--b', letters(16, 'p'), '80']),
              }),
              5,
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 2 },
      ),
    ),
  },
  { requiredKeys: [] },
);

const schedules = edge(
  [
    '0 3 * * *',
    '@daily',
    '*/5 * * * *',
    '0 0 1,15 * *',
    '0 0 * * 0',
    '30 2 * * MON-FRI',
    '0 0 1 JAN *',
    '@every 1h',
    '0 0 ? * *',
    '@hourly',
    '0 0 31 2 *',
    '1-59/7 * * * *',
  ],
  ['*/0 * * * *', '60 * * * *', 'TZ=UTC 0 * * * *', '* * * * * *', 'H * * * *', '5-3 * * * *', '@reboot', '', '0 0 * * 7', '0 0 L * *'],
);
const timeZones = edge(
  ['UTC', 'Europe/Berlin', 'America/New_York', 'Etc/GMT+5', 'Asia/Kolkata', 'US/Eastern', 'EST5EDT', 'Factory'],
  ['Local', 'Nowhere/City', '', 'utc', 'US/Pacific-New', 'PST', 'SystemV/AST4'],
);

// ---- components
interface Draft {
  name: string;
  type: string;
}

const common = (d: Draft): fc.Arbitrary<Obj> =>
  fc
    .record(
      {
        image: images,
        command: maybe(fc.constant(['run'])),
        args: maybe(fc.constant(['--flag', 'a b'])),
        env: maybe(dict(envNames, fc.constantFrom('1', 'a b', ''), { maxKeys: 2 })),
        labels: maybe(labels, 4),
      },
      { requiredKeys: ['image'] },
    )
    .map((c) => ({ name: d.name, type: d.type, ...c }));

const ports = fc.uniqueArray(
  fc.record(
    {
      port: edge([80, 8080, 443, 1, 65535, 9090], [0, 65536]),
      name: maybe(edge(['http', 'metrics', 'p8080', letters(15, 'n'), 'a-b'], [letters(16, 'n'), 'HTTP', '80', 'a--b'])),
      protocol: maybe(fc.constantFrom('TCP', 'UDP', 'SCTP'), 4),
    },
    { requiredKeys: ['port'] },
  ),
  { maxLength: 3, selector: (p) => `${String(good(p.port))}/${String(good(p.protocol) ?? 'TCP')}` },
);

// ---- placement, disruption budgets, network policies
const nodeExpression = fc.record(
  {
    key: edge(['topology.kubernetes.io/zone', 'pool', 'example.com/gpu'], ['-x', 'a/b/c']),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: maybe(fc.uniqueArray(labelValues, { minLength: 1, maxLength: 2, selector: (v) => String(good(v)) }), 2),
    weight: maybe(edge([1, 100], [0, 101]), 2),
  },
  { requiredKeys: ['key', 'operator'] },
);
const placement = fc.record(
  {
    nodeSelector: maybe(labels),
    tolerations: maybe(
      fc.array(
        fc.record(
          {
            key: maybe(edge(['dedicated', 'nvidia.com/gpu', letters(63, 'k')], ['-x', 'a/b/c']), 4),
            operator: maybe(fc.constantFrom('Equal', 'Exists')),
            value: maybe(labelValues),
            effect: maybe(fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute')),
            tolerationSeconds: maybe(int32s([0, 30]), 4),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 2 },
      ),
    ),
    spread: maybe(
      fc.oneof(
        fc.constantFrom('zone', 'host', 'zone-and-host'),
        fc.record(
          {
            across: fc.constantFrom('zone', 'host', 'zone-and-host'),
            maxSkew: maybe(int32s([1, 2])),
            whenUnsatisfiable: maybe(fc.constantFrom('ScheduleAnyway', 'DoNotSchedule')),
          },
          { requiredKeys: ['across'] },
        ),
      ),
    ),
    nodeAffinity: maybe(
      fc.record(
        {
          required: maybe(
            fc.array(
              nodeExpression.map(({ weight: _w, ...e }) => e),
              { minLength: 1, maxLength: 2 },
            ),
          ),
          preferred: maybe(fc.array(nodeExpression, { minLength: 1, maxLength: 2 })),
        },
        { requiredKeys: [] },
      ),
    ),
    priorityClassName: maybe(edge(['high', 'system-cluster-critical', 'a.b'], ['High', 'a_b'])),
  },
  { requiredKeys: [] },
);
const intOrPercent = edge<number | string>([0, 1, 2, '50%', '0%', '100%'], [-1, '101%', '5', 'half']);
const disruptionBudget = fc.oneof(
  fc.constant(false),
  fc.record(
    {
      minAvailable: maybe(intOrPercent),
      maxUnavailable: maybe(intOrPercent),
      unhealthyPodEvictionPolicy: maybe(fc.constantFrom('AlwaysAllow', 'IfHealthyBudget')),
    },
    { requiredKeys: [] },
  ),
);
/** A source of connections: the component itself (its peers) or labels, valid; another name may be unknown. */
const networkPeer = (self: unknown) =>
  fc
    .record(
      {
        who: fc.constantFrom('component', 'namespaces', 'pods', 'ingressController'),
        component: edge([self], ['nosuch', 'Web']),
        labels,
        ports: maybe(
          fc.uniqueArray(edge<number | string>([80, 8080], [0, 65536, 'nosuch', 'Http']), { minLength: 1, maxLength: 2, selector: (p) => String(good(p)) }),
        ),
      },
      { requiredKeys: ['who', 'component', 'labels'] },
    )
    .map((p): Obj => {
      const who =
        p.who === 'component'
          ? { component: p.component }
          : p.who === 'namespaces'
            ? { namespaceLabels: p.labels }
            : p.who === 'pods'
              ? { podLabels: p.labels }
              : { ingressController: true };
      return { ...who, ports: p.ports };
    });
const networkPolicy = (self: unknown) => fc.record({ from: fc.array(networkPeer(self), { maxLength: 3 }) });

/** The pod's own settings (trait pod). */
const podSettings = fc.record(
  {
    labels: maybe(labels),
    annotations: maybe(annotations(false)),
    terminationGracePeriodSeconds: maybe(edge([0, 30, 45, 2147483647], [-1, 2147483648])),
    imagePullSecrets: maybe(
      fc.uniqueArray(edge(['regcred', 'registry.example.com', letters(253, 'r')], ['RegCred', 'a_b', '']), {
        minLength: 1,
        maxLength: 2,
        selector: (n) => String(good(n)),
      }),
    ),
  },
  { requiredKeys: [] },
);

/**
 * The escape hatch `patches` on the kind a component type renders: values the API server accepts
 * on the valid side; on the invalid side what kubemin must refuse first (a field the schema does
 * not declare, a value of the wrong type, an invalid or reserved label, a new name, a kind the
 * component does not render, a path that is not there).
 */
const PATCHED_KIND: Readonly<Record<string, string>> = {
  webservice: 'Deployment',
  worker: 'Deployment',
  store: 'StatefulSet',
  job: 'Job',
  cronjob: 'CronJob',
  config: 'ConfigMap',
  secret: 'Secret',
};
const patchLabels = dict(edge(['patched', 'example.com/patched'], ['bad key', 'app.kubernetes.io/name']), edge(['x', ''], ['a b']), { minKeys: 1, maxKeys: 1 });

function patches(d: Draft): fc.Arbitrary<Obj[] | undefined> {
  const kind = PATCHED_KIND[d.type]!;
  const workload = kind === 'Deployment' || kind === 'StatefulSet';
  const merges: Array<fc.Arbitrary<Obj>> = [
    fc.record({ metadata: fc.record({ labels: patchLabels }) }),
    fc.record({ metadata: fc.record({ annotations: fc.record({ 'example.com/patched': edge<unknown>(['yes', ''], [1, true]) }) }) }),
  ];
  // A Job is named after its template: only other kinds keep the component's name.
  if (kind !== 'Job') merges.push(fc.record({ metadata: fc.record({ name: edge([d.name], [`${String(good(d.name))}-renamed`]) }) }));
  if (workload) {
    merges.push(
      fc.record({
        spec: fc.record(
          { minReadySeconds: edge<unknown>([0, 5], ['5', 1.5]), revisionHistoryLimit: maybe(edge<unknown>([3], [{}])) },
          { requiredKeys: ['minReadySeconds'] },
        ),
      }),
    );
    merges.push(
      fc.record({
        spec: fc.record({
          template: fc.record({
            spec: fc.record({ hostAliases: fc.constant([{ ip: '10.0.0.5', hostnames: ['db.internal'] }]), enableServiceLinks: edge<unknown>([false], ['no']) }),
          }),
        }),
      }),
    );
  }
  const json = fc.oneof(
    fc.constant([{ op: 'add', path: '/metadata/annotations', value: { 'example.com/json': 'x' } }]),
    fc
      .record({ op: fc.constant('add'), path: edge(['/metadata/labels/patched'], ['/metadata/labelz/x', '/nope/x']), value: edge<unknown>(['x'], ['a b', 1]) })
      .map((o) => [o]),
  );
  const target = fc.record({ kind: edge([kind], ['Ingress', 'Pod']) });
  const entry = fc.oneof(fc.record({ target, merge: fc.oneof(...merges) }), fc.record({ target, json }));
  return maybe(fc.array(entry, { minLength: 1, maxLength: 2 }), 6);
}

/** The escape hatch `k8s-objects`: raw objects of built-in kinds the dry-run takes as they are. */
const rawObjects = (d: Draft): fc.Arbitrary<Obj> => {
  const base = String(good(d.name));
  const configMap = fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('ConfigMap'),
    metadata: fc.record({ name: edge([`${base}-raw`], [`${base}_raw`]), labels: maybe(patchLabels, 3) }, { requiredKeys: ['name'] }),
    data: dict(configKeys, fc.constantFrom('v', ''), { maxKeys: 2 }),
  });
  const service = fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Service'),
    metadata: fc.record({ name: fc.constant(`${base}-ext`) }),
    spec: fc.record(
      {
        type: fc.constant('ExternalName'),
        externalName: fc.constant('db.example.com'),
        ports: fc.constant([{ port: 5432 }]),
        publishNotReadyAddresses: maybe(edge<unknown>([true], ['yes'])),
      },
      { requiredKeys: ['type', 'externalName', 'ports'] },
    ),
  });
  const budget = fc.record({
    apiVersion: fc.constant('policy/v1'),
    kind: fc.constant('PodDisruptionBudget'),
    metadata: fc.record({ name: fc.constant(`${base}-pdb`) }),
    spec: fc.record({ maxUnavailable: edge<unknown>([1, '50%'], [true]), selector: fc.constant({ matchLabels: { app: base } }) }),
  });
  return fc
    .uniqueArray(fc.oneof(configMap, service, budget), { minLength: 1, maxLength: 3, selector: (o) => String(o.kind) })
    .map((objects) => ({ name: d.name, type: 'k8s-objects', objects }));
};

function podTraits(d: Draft): fc.Arbitrary<Obj> {
  const service = d.type === 'webservice' || d.type === 'store';
  const scalable = service || d.type === 'worker';
  return fc.record(
    {
      storage: maybe(fc.uniqueArray(storageEntry, { minLength: 1, maxLength: 3, selector: (e) => String(good(e.name)) })),
      envFrom: maybe(fc.array(envFromEntry, { maxLength: 2 }), 4),
      envs: maybe(fc.array(envEntry, { maxLength: 3 })),
      resources: maybe(resources, 2),
      probes: maybe(fc.uniqueArray(probe, { maxLength: 3, selector: (p) => String(good(p.type)) }), 3),
      lifecycle: maybe(lifecycle, 4),
      rbac: maybe(fc.uniqueArray(rbacEntry, { minLength: 1, maxLength: 2, selector: (e) => String(good(e.serviceAccount)) }), 5),
      init: maybe(fc.uniqueArray(extraContainer, { maxLength: 2, selector: (c) => String(good(c.name)) }), 5),
      sidecar: maybe(fc.array(extraContainer, { maxLength: 1 }), 5),
      ingress: service ? maybe(fc.array(ingressEntry, { minLength: 1, maxLength: 2 }), 3) : fc.constant(undefined),
      autoscale: scalable
        ? maybe(
            fc.record(
              {
                minReplicas: maybe(int32s([1, 2])),
                maxReplicas: int32s([3, 10, 2147483647]),
                cpuUtilization: maybe(edge([1, 80, 1000], [0])),
                memoryUtilization: maybe(fc.constantFrom(50)),
              },
              { requiredKeys: ['maxReplicas'] },
            ),
            5,
          )
        : fc.constant(undefined),
      placement: maybe(placement, 4),
      disruptionBudget: scalable ? maybe(disruptionBudget, 4) : fc.constant(undefined),
      networkPolicy: maybe(networkPolicy(d.name), 5),
      pod: maybe(podSettings, 3),
      patches: patches(d),
    },
    { requiredKeys: [] },
  );
}

const jobSettings = fc.record(
  {
    backoffLimit: maybe(int32s([0, 2, 2147483647])),
    activeDeadlineSeconds: maybe(int32s([1, 600])),
    completions: maybe(int32s([1, 3])),
    parallelism: maybe(int32s([0, 2])),
    ttlSecondsAfterFinished: maybe(int32s([0, 3600])),
    restartPolicy: maybe(fc.constantFrom('OnFailure', 'Never')),
  },
  { requiredKeys: [] },
);

function component(d: Draft): fc.Arbitrary<Obj> {
  switch (d.type) {
    case 'config':
      return fc
        .record(
          { data: dict(configKeys, fc.constantFrom('v', '', 'multi\nline'), { maxKeys: 3 }), immutable: maybe(fc.boolean(), 4), patches: patches(d) },
          { requiredKeys: ['data'] },
        )
        .map(({ patches: p, ...c }) => ({ name: d.name, type: d.type, ...c, ...(p ? { traits: { patches: p } } : {}) }));
    case 'secret':
      return fc
        .record(
          {
            stringData: dict(configKeys, fc.constantFrom('s3cr3t', '{"auths":{}}', ''), { maxKeys: 3 }),
            secretType: maybe(
              edge(
                ['Opaque', 'example.com/custom', 'kubernetes.io/basic-auth'],
                ['kubernetes.io/tls', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/ssh-auth'],
              ),
            ),
          },
          { requiredKeys: ['stringData'] },
        )
        .map((c) => ({ name: d.name, type: d.type, ...c }));
    case 'k8s-objects':
      return rawObjects(d);
    case 'job':
      return fc.tuple(common(d), podTraits(d), maybe(jobSettings, 2)).map(([c, traits, job]) => ({ ...c, traits, job }));
    case 'cronjob':
      return fc
        .tuple(
          common(d),
          podTraits(d),
          fc.record(
            {
              schedule: schedules,
              timeZone: maybe(timeZones),
              concurrencyPolicy: maybe(fc.constantFrom('Allow', 'Forbid', 'Replace')),
              successfulJobsHistoryLimit: maybe(int32s([0, 3])),
              failedJobsHistoryLimit: maybe(int32s([0, 1])),
              startingDeadlineSeconds: maybe(int32s([0, 100])),
              suspend: maybe(fc.boolean()),
              job: maybe(jobSettings, 3),
            },
            { requiredKeys: ['schedule'] },
          ),
        )
        .map(([c, traits, cron]) => ({ ...c, traits, ...cron }));
    default:
      return fc
        .tuple(common(d), podTraits(d), maybe(int32s([0, 1, 3, 2147483647]), 2), d.type === 'job' ? fc.constant(undefined) : ports)
        .map(([c, traits, replicas, p]) => ({ ...c, traits, replicas, ports: p }));
  }
}

/**
 * Sometimes one environment (in the same namespace: the parity namespace is the one that exists)
 * whose overrides are components of the same drafts drawn again, without name and type: merge
 * patches that change any field, validly or not; now and then a component disabled.
 */
function environment(drafts: readonly Draft[]): fc.Arbitrary<Json[] | undefined> {
  const override = (d: Draft) =>
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      { arbitrary: fc.constant({ disabled: true }), weight: 1 },
      {
        arbitrary: component(d).map((c) => {
          const { name: _name, type: _type, ...patch } = c as Record<string, unknown>;
          return patch;
        }),
        weight: 3,
      },
    );
  const env = fc.tuple(...drafts.map((d) => override(d))).map((patches) => [
    {
      name: 'stage',
      components: new Dict(drafts.flatMap((d, i) => (patches[i] === undefined ? [] : [[d.name, patches[i]] as const]))),
    },
  ]);
  return maybe(env, 4) as unknown as fc.Arbitrary<Json[] | undefined>;
}

const TYPES = ['webservice', 'worker', 'store', 'job', 'cronjob', 'config', 'secret', 'k8s-objects'] as const;

/** An application in `namespace`, as a JSON value (undefined fields dropped). */
export function applicationArbitrary(namespace: string): fc.Arbitrary<Json> {
  const drafts = fc.uniqueArray(fc.record({ name: componentNames, type: fc.constantFrom(...TYPES) }), {
    minLength: 1,
    maxLength: 4,
    selector: (d) => String(good(d.name)),
  });
  const drawn = fc
    .record({
      name: edge(['shop', 'app', label(30)], ['Shop', label(64)]),
      labels: maybe(labels, 4),
      annotations: maybe(
        fc.boolean().chain((big) => annotations(big)),
        4,
      ),
      drafts,
      allowHostPath: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
      allowClusterScope: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
      createNamespace: maybe(fc.boolean(), 4),
      networkIsolation: maybe(fc.boolean(), 3),
      gpuToleration: maybe(fc.boolean(), 4),
    })
    .chain((a) =>
      fc.tuple(fc.tuple(...a.drafts.map((d) => component(d))), environment(a.drafts)).map(([components, environments]) => ({
        apiVersion: 'kubemin.dev/v1alpha1',
        kind: 'Application',
        metadata: { name: a.name, namespace, labels: a.labels, annotations: a.annotations },
        spec: {
          createNamespace: a.createNamespace,
          policies: {
            allowClusterScope: a.allowClusterScope,
            allowHostPath: a.allowHostPath,
            networkIsolation: a.networkIsolation,
            gpuToleration: a.gpuToleration,
          },
          components,
          environments,
        },
      })),
    );
  // Half the cases keep every slot valid; the others make one slot invalid.
  return fc.tuple(drawn, fc.boolean(), fc.nat(), fc.nat()).map(([spec, mutate, which, how]) => {
    const slots: Slot[] = [];
    collectSlots(spec, slots);
    const target = mutate && slots.length ? slots[which % slots.length] : undefined;
    return resolve(spec, (slot) => (slot === target ? slot.bad[how % slot.bad.length] : slot.good));
  });
}

function collectSlots(v: unknown, out: Slot[]): void {
  if (v instanceof Slot) out.push(v);
  else if (v instanceof Dict)
    for (const [k, x] of v.entries) {
      collectSlots(k, out);
      collectSlots(x, out);
    }
  else if (Array.isArray(v)) for (const x of v) collectSlots(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) collectSlots(x, out);
}

/** The JSON value with each slot decided, Dicts made mappings and undefined fields dropped. */
function resolve(v: unknown, decide: (slot: Slot) => unknown): Json {
  if (v instanceof Slot) return resolve(decide(v), decide);
  if (v instanceof Dict) {
    const out: { [key: string]: Json } = {};
    for (const [k, x] of v.entries) {
      const key = String(resolve(k, decide));
      if (!(key in out)) out[key] = resolve(x, decide);
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, decide));
  if (v === null || typeof v !== 'object') return v as Json;
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = resolve(x, decide);
  return out;
}
