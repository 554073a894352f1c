import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { formatText } from '../../src/diagnostics/format-text.js';
import { loadAndCompile } from '../../src/operations/load-and-compile.js';
import { GitRepo } from '../../src/watch/git/repo.js';
import { GitSource } from '../../src/watch/git-source.js';
import { referencedFiles } from '../../src/load/referenced-files.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { tempDir } from '../helpers/cli.js';
import { codes, compileApp, find, objectsOf } from '../helpers/spec.js';
import { RemoteFixture } from '../watch/git/remote-fixture.js';

/** The k8s-objects component type: raw objects, inline or in files next to the spec. */

const certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'web-tls', labels: { team: 'edge', 'app.kubernetes.io/part-of': 'storefront' } },
  spec: { secretName: 'web-tls', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
};

const spec = (components: string) => `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: shop, namespace: shop}
spec:
  components:
${components}`;

describe('k8s-objects', () => {
  it("inline objects get kubemin's labels (their own kept), the app's namespace, and a phase like any component", () => {
    const r = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'x:1', ports: [{ port: 80 }] },
        { name: 'tls', type: 'k8s-objects', dependsOn: ['web'], objects: [certificate] },
      ],
    });
    expect(codes(r)).toEqual([]);
    const cert = find(r, 'Certificate');
    expect(cert.metadata).toEqual({
      name: 'web-tls',
      namespace: 'ns',
      labels: {
        'app.kubernetes.io/name': 'tls',
        'app.kubernetes.io/instance': 'app',
        'app.kubernetes.io/component': 'k8s-objects',
        'app.kubernetes.io/part-of': 'storefront',
        'app.kubernetes.io/managed-by': 'kubemin',
        team: 'edge',
      },
    });
    expect(cert.spec).toEqual(certificate.spec);
    const phases = r.apps[0]!.phases.map((p) => p.objects.map((o) => o.object.kind));
    expect(phases).toEqual([['Service', 'Deployment'], ['Certificate']]);
    expect(r.apps[0]!.phases[1]!.objects[0]!.source).toMatchObject({ file: 'kubemin.yaml', pointer: '/spec/components/1/objects/0' });
  });

  it('cluster-scoped kinds get no namespace and need allowClusterScope; another namespace is refused', () => {
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: {} };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] };
    const refused = compileApp({ components: [{ name: 'raw', type: 'k8s-objects', clusterScopedKinds: ['ClusterIssuer'], objects: [issuer, role] }] });
    expect(codes(refused)).toEqual(['cluster-scope-refused', 'cluster-scope-refused']);
    const ok = compileApp({
      components: [{ name: 'raw', type: 'k8s-objects', clusterScopedKinds: ['ClusterIssuer'], policies: { allowClusterScope: true }, objects: [issuer, role] }],
    });
    expect(codes(ok)).toEqual([]);
    expect(find(ok, 'ClusterIssuer').metadata.namespace).toBeUndefined();
    expect(find(ok, 'ClusterRole').metadata.namespace).toBeUndefined();
    const elsewhere = compileApp({
      components: [{ name: 'raw', type: 'k8s-objects', objects: [{ ...certificate, metadata: { name: 'c', namespace: 'other' } }] }],
    });
    expect(elsewhere.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['object-namespace', '/spec/components/0/objects/0']]);
    expect(elsewhere.diagnostics[0]!.message).toBe('Certificate "c" is in namespace "other", not the application\'s ("ns")');
  });

  it("refuses kubemin's reserved labels with another value, lists, and a name taken by another component", () => {
    const r = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'x:1', ports: [{ port: 80 }] },
        {
          name: 'raw',
          type: 'k8s-objects',
          objects: [
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'app.kubernetes.io/instance': 'other' } } },
            { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { name: 'l' }, items: [] },
          ],
        },
      ],
    });
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['reserved-label', '/spec/components/1/objects/0'],
      ['invalid-object', '/spec/components/1/objects/1'],
    ]);
    const taken = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'x:1', ports: [{ port: 80 }] },
        { name: 'raw', type: 'k8s-objects', objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 81 }] } }] },
      ],
    });
    expect(taken.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      ['object-name-collision', '/spec/components/1/objects/0', 'Service "web" is produced twice (by component "web" and component "raw")'],
    ]);
  });

  it('raw objects are checked like every other, as the API server would', () => {
    const r = compileApp({
      components: [{ name: 'raw', type: 'k8s-objects', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'bad key': 'x' } }] }],
    });
    expect(r.apps).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.pointer} ${d.message}`).join('\n')).toMatch(/objects\/0.*bad key/);
  });

  it('raw pods are checked for podSecurity', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug' },
      spec: { containers: [{ name: 'sh', image: 'busybox:1.36', securityContext: { privileged: true } }] },
    };
    const r = compileApp({ components: [{ name: 'raw', type: 'k8s-objects', objects: [pod] }] });
    expect(r.apps).toEqual([]);
    expect(
      r.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.pointer} ${d.message}`)
        .join('\n'),
    ).toMatch(/objects\/0.*privileged/);
  });

  it('a Secret written inline is a secret: masked in code frames, kept for the redactor, written as data', () => {
    const text = spec(`    - name: raw
      type: k8s-objects
      objects:
        - apiVersion: v1
          kind: Secret
          metadata: {name: creds, namespace: elsewhere}
          stringData: {password: swordfish-4711}
`);
    const r = compile([{ path: 'kubemin.yaml', text }]);
    expect(codes(r)).toEqual(['object-namespace']);
    expect(r.secrets).toContain('swordfish-4711');
    const frame = formatText(r.diagnostics, r.sources, { color: false });
    expect(frame).not.toContain('swordfish');
    const ok = compile([{ path: 'kubemin.yaml', text: text.replace(', namespace: elsewhere', '') }]);
    expect(objectsOf(ok).find((o) => o.kind === 'Secret')!.data).toEqual({ password: Buffer.from('swordfish-4711').toString('base64') });
  });

  it('files: read by the loader relative to the spec, several documents each; problems in them at their own file:line:col', async () => {
    const dir = tempDir('kubemin-k8s-objects-');
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'apps/shop/manifests'), { recursive: true });
    mkdirSync(join(dir, 'shared'));
    writeFileSync(
      join(dir, 'apps/shop/kubemin.yaml'),
      spec(`    - name: raw
      type: k8s-objects
      files: [manifests/cert.yaml, ../../shared/monitor.yaml]
`),
    );
    writeFileSync(
      join(dir, 'apps/shop/manifests/cert.yaml'),
      `# the certificate\n${JSON.stringify(certificate)}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: api-key}\nstringData: {key: zebra-crossing-991}\n`,
    );
    writeFileSync(join(dir, 'shared/monitor.yaml'), 'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: shop}\nspec: {selector: {}}\n');
    const r = await loadAndCompile({ paths: ['apps'], cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(objectsOf(r).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Secret/shop/api-key',
      'Certificate/shop/web-tls',
      'PodMonitor/shop/shop',
    ]);
    expect(r.secrets).toContain('zebra-crossing-991');

    // A syntax error in a file is reported in it, with its Secret's data masked in the frame.
    writeFileSync(
      join(dir, 'apps/shop/manifests/cert.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata: {name: api-key}\nstringData: {key: zebra-crossing-991}\nspec: [unclosed\n',
    );
    const broken = await loadAndCompile({ paths: ['apps'], cwd: dir });
    expect(broken.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      expect.stringMatching(/^apps\/shop\/manifests\/cert.yaml:\d+ yaml-syntax$/),
    ]);
    const frame = formatText(broken.diagnostics, broken.sources, { color: false });
    expect(frame).toContain('stringData: {key: ******************}');
  });

  it('files: missing, outside the repository, a link leading out, too large, a FIFO: one error each at the entry', async () => {
    const outside = tempDir('kubemin-outside-');
    writeFileSync(join(outside, 'kubeconfig.yaml'), 'apiVersion: v1\nkind: Config\nmetadata: {name: stolen}\n');
    const dir = tempDir('kubemin-k8s-objects-');
    mkdirSync(join(dir, '.git'));
    symlinkSync(join(outside, 'kubeconfig.yaml'), join(dir, 'link.yaml'));
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1024 * 1024)}\n`);
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    const rel = `../${outside.split('/').pop()}/kubeconfig.yaml`;
    writeFileSync(
      join(dir, 'kubemin.yaml'),
      spec(`    - name: raw
      type: k8s-objects
      files: [nope.yaml, ${rel}, link.yaml, big.yaml, fifo.yaml, .git]
`),
    );
    const r = await loadAndCompile({ paths: ['.'], cwd: dir });
    expect(r.apps).toEqual([]);
    const lines = r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`);
    expect(lines).toEqual([
      'kubemin.yaml:8:15 file-unreadable nope.yaml: no such file',
      expect.stringMatching(
        /^kubemin.yaml:8:26 file-unreadable \.\.\/kubemin-outside-\w+\/kubeconfig.yaml: lies outside the repository or directory being read \(/,
      ),
      expect.stringMatching(/^kubemin.yaml:8:\d+ file-unreadable link.yaml: is a symbolic link to .*kubeconfig.yaml, outside the repository/),
      expect.stringMatching(/^kubemin.yaml:8:\d+ file-unreadable big.yaml: is 1048579 bytes, over the limit of 1048576: split it into several files$/),
      expect.stringMatching(/^kubemin.yaml:8:\d+ file-unreadable fifo.yaml: is not a regular file$/),
      expect.stringMatching(/^kubemin.yaml:8:\d+ file-unreadable .git: is a directory, not a file$/),
    ]);
    expect(JSON.stringify(r)).not.toContain('stolen');
  });

  it('the watch daemon reads the files from git at the revision, as the CLI reads them from disk', async () => {
    const fx = new RemoteFixture();
    const first = fx.commit('first', {
      'apps/shop/kubemin.yaml': spec('    - name: raw\n      type: k8s-objects\n      files: [cert.yaml, gone.yaml, ../../../etc/passwd, sub]\n'),
      'apps/shop/cert.yaml': JSON.stringify(certificate),
      'apps/shop/sub/x.yaml': 'a: 1\n',
    });
    const repo = await GitRepo.open({ url: fx.remote, branch: 'main', workDir: fx.workDir(), author: { name: 't', email: 't@example.com' } });
    const source = new GitSource(repo, { url: fx.remote, branch: 'main', path: 'apps' });
    const files = await source.files(first);
    const refs = referencedFiles(files, () => builtinRegistry.componentTypes);
    expect(refs.map((f) => f.path)).toEqual(['../etc/passwd', 'apps/shop/cert.yaml', 'apps/shop/gone.yaml', 'apps/shop/sub']);
    const read = await source.referencedFiles(first, refs);
    expect(read.get('apps/shop/cert.yaml')).toEqual({ text: JSON.stringify(certificate) });
    expect(read.get('apps/shop/gone.yaml')).toEqual({ error: `no such file at ${first.slice(0, 12)}` });
    expect(read.get('../etc/passwd')).toEqual({ error: 'lies outside the repository' });
    expect(read.get('apps/shop/sub')).toEqual({ error: 'is a directory, not a file' });
    const r = compile(files, { files: read });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file-unreadable', 'file-unreadable', 'file-unreadable']);
  });
});
