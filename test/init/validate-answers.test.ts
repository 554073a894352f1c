import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImageReference } from '../../src/init/image-reference.js';
import { completeWithDefaults, parseComponentFlag, readInitFlags } from '../../src/init/init-flags.js';
import { defaultNameFor } from '../../src/init/plan-init.js';
import { editorSchemaPlace } from '../../src/init/editor-schema-file.js';
import { checkComponentName, checkParallelLast, checkPort, validateAnswers } from '../../src/init/validate-answers.js';
import { builtinRegistry as registry } from '../../src/plugins/builtin.js';

describe('checkImageReference', () => {
  it.each([
    'nginx',
    'nginx:1.27',
    'redis:7',
    'library/redis:7.2-alpine',
    'ghcr.io/acme/shop:1.4.0',
    'localhost:5000/team/app:dev_1',
    'registry.example.com:443/a/b/c',
    '[::1]:5000/app',
    'My.Registry.io/team/app',
    `ghcr.io/acme/shop:1.4.0@sha256:${'0'.repeat(64)}`,
    `busybox@sha256:${'ab'.repeat(32)}`,
    'a__b.c-d---e:x',
  ])('accepts %s', (image) => {
    expect(checkImageReference(image)).toBeUndefined();
  });

  it.each([
    ['', 'it is empty'],
    ['nginx 1.27', 'it contains whitespace'],
    ['https://ghcr.io/acme/shop:1', 'URL scheme (try "ghcr.io/acme/shop:1")'],
    ['Redis:7', 'uppercase letters (try "redis:7")'],
    ['ghcr.io/Acme/Shop:1', 'uppercase letters (try "ghcr.io/acme/shop:1")'],
    ['nginx:', "the tag after ':' is empty"],
    ['nginx:-1', 'the tag "-1" must be'],
    ['nginx:1:2', 'the tag "1:2" must be'],
    ['ghcr.io//shop', 'empty path component'],
    ['shop-', 'the repository part "shop-"'],
    ['nginx@sha256:abc', 'a sha256 digest has 64 hexadecimal digits, this one 3'],
    ['nginx@latest', "the digest after '@' must be algorithm:hex"],
    ['a@b@c', "'@' more than once"],
    ['host:port/app', 'the registry port "port" must be a number'],
    ['bad_host.io/app', 'the registry "bad_host.io" must be a host name'],
  ])('refuses %j: %s', (image, reason) => {
    const problem = checkImageReference(image);
    expect(problem).toContain('must be an image reference such as redis:7.2');
    expect(problem).toContain(reason);
  });
});

describe('answer checks', () => {
  it('component names: DNS labels, unique, short enough for their type', () => {
    expect(checkComponentName('web', { taken: [], registry })).toBeUndefined();
    expect(checkComponentName('Web', { taken: [], registry })).toContain('uppercase letters (try "web")');
    expect(checkComponentName('web', { taken: ['web'], registry })).toBe('there is already a component named "web"');
    const long = 'a'.repeat(60);
    expect(checkComponentName(long, { taken: [], registry })).toBeUndefined();
    expect(checkComponentName(long, { taken: [], type: 'store', registry })).toBe(`a store name may have at most 52 characters; "${long}" has 60`);
  });

  it('ports 1-65535, parallel counts up to the number of components', () => {
    for (const ok of ['1', '80', '8080', '65535']) expect(checkPort(ok)).toBeUndefined();
    for (const bad of ['0', '65536', '-1', '80.5', 'http', '']) expect(checkPort(bad)).toMatch(/must be a port number from 1 to 65535/);
    expect(checkParallelLast('3', 3)).toBeUndefined();
    expect(checkParallelLast('4', 3)).toBe('"4" must be a number from 0 to 3');
  });

  it('validateAnswers lists every problem with its place', () => {
    expect(
      validateAnswers(
        {
          name: 'Shop',
          namespace: 'shop',
          createNamespace: false,
          components: [
            { name: 'web', type: 'webservice', port: 80 },
            { name: 'web', type: 'config', image: 'nginx' },
            { name: 'x', type: 'daemonset' },
          ],
          parallelLast: 4,
        },
        registry,
      ),
    ).toEqual([
      expect.stringMatching(/^name: "Shop" must be a lowercase RFC 1123 label/),
      'component "web": a webservice needs image',
      'component "web": there is already a component named "web"',
      'component "web": a config takes no image',
      'component "x": "daemonset" is not a component type; choose webservice, worker, store, job, cronjob, config or secret',
      'parallel: "4" must be a number from 0 to 3',
    ]);
  });
});

describe('--component name:type[:image[:port]]', () => {
  it.each([
    ['web:webservice:nginx', { name: 'web', type: 'webservice', image: 'nginx', port: 8080 }],
    ['web:webservice:nginx:1.27', { name: 'web', type: 'webservice', image: 'nginx:1.27', port: 8080 }],
    ['web:webservice:nginx:1.27:80', { name: 'web', type: 'webservice', image: 'nginx:1.27', port: 80 }],
    ['db:store:localhost:5000/redis:7:6379', { name: 'db', type: 'store', image: 'localhost:5000/redis:7', port: 6379 }],
    ['w:worker:ghcr.io/acme/w:1', { name: 'w', type: 'worker', image: 'ghcr.io/acme/w:1' }],
    ['nightly:cronjob:busybox', { name: 'nightly', type: 'cronjob', image: 'busybox', schedule: '@daily' }],
    ['settings:config', { name: 'settings', type: 'config' }],
  ])('%s', (flag, component) => {
    expect(parseComponentFlag(flag, registry)).toEqual(component);
  });

  it.each([
    ['web', 'give name:type[:image[:port]]'],
    ['Web:webservice:nginx', 'uppercase letters'],
    ['web:deployment:nginx', '"deployment" is not a component type'],
    ['crds:k8s-objects', '"k8s-objects" needs more than init asks for: write that component in the spec by hand'],
    ['web:webservice', 'a webservice needs an image: web:webservice:IMAGE[:PORT]'],
    ['settings:config:nginx', 'a config takes no image'],
  ])('%s is refused', (flag, reason) => {
    expect(parseComponentFlag(flag, registry)).toContain(reason);
  });

  it('readInitFlags and completeWithDefaults: defaults for what is not given, every problem at once', () => {
    const read = readInitFlags({ component: ['web:webservice:nginx:1.27'], createNamespace: true }, registry);
    expect(read.errors).toEqual([]);
    expect(completeWithDefaults(read.given, { defaultName: 'my-dir', registry })).toEqual({
      answers: {
        name: 'my-dir',
        namespace: 'my-dir',
        createNamespace: true,
        components: [{ name: 'web', type: 'webservice', image: 'nginx:1.27', port: 8080 }],
        parallelLast: 0,
      },
    });
    expect(completeWithDefaults({}, { registry }).errors).toEqual([
      '--name is required (the directory name is not a valid application name)',
      'give at least one --component name:type[:image[:port]]',
    ]);
    const bad = readInitFlags({ component: ['a:worker:x', 'b:nope'], parallel: '5' }, registry);
    expect(bad.errors).toEqual([
      '--component "b:nope": "nope" is not a component type; choose webservice, worker, store, job, cronjob, config or secret',
      '--parallel: "5" must be a number from 0 to 2',
    ]);
    expect(readInitFlags({ name: 'x', component: ['a:config', 'a:config', `${'s'.repeat(53)}:store:redis`] }, registry).errors).toEqual([
      '--component "a:config": there is already a component named "a"',
      expect.stringMatching(/^--component "s+:store:red…": a store name may have at most 52 characters; "s{53}" has 53$/),
    ]);
    // The whole set is checked again when the defaults are added.
    expect(readInitFlags({ parallel: '2' }, registry).errors).toEqual(['--parallel: it counts the --component flags: give them too']);
    const dup = completeWithDefaults(
      {
        name: 'x',
        components: [
          { name: 'a', type: 'config' },
          { name: 'a', type: 'config' },
        ],
      },
      { registry },
    );
    expect(dup.errors).toEqual(['component "a": there is already a component named "a"']);
  });
});

describe('defaults and the schema comment', () => {
  it('the directory name, made a DNS label, is the default application name', () => {
    expect(defaultNameFor('/tmp/My_Shop App')).toBe('my-shop-app');
    expect(defaultNameFor('/srv/shop')).toBe('shop');
    expect(defaultNameFor('/tmp/___')).toBeUndefined();
  });

  it('the editor schema: .kubemin/schema.json beside the kubemin.config that applies, else beside the spec; named relatively', () => {
    expect(editorSchemaPlace('/srv/apps/shop', () => undefined)).toEqual({ file: '/srv/apps/shop/.kubemin/schema.json', ref: '.kubemin/schema.json' });
    const config = (file: string) => (dir: string) => (dir.startsWith('/srv/apps') ? file : undefined);
    expect(editorSchemaPlace('/srv/apps/shop', config('/srv/apps/kubemin.config.mjs'))).toEqual({
      file: '/srv/apps/.kubemin/schema.json',
      ref: '../.kubemin/schema.json',
    });
    // A config in .kubemin/ has the schema beside it.
    expect(editorSchemaPlace('/srv/apps/a/b', config('/srv/apps/.kubemin/config.yaml'))).toEqual({
      file: '/srv/apps/.kubemin/schema.json',
      ref: '../../.kubemin/schema.json',
    });
    expect(editorSchemaPlace(join('/srv', 'x', '..', 'shop'), () => undefined).ref).toBe('.kubemin/schema.json');
  });
});
