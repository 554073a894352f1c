import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffBundleDir, writeBundleDir } from '../../src/files/bundle-dir/bundle-dir.js';
import { BundleDirError, BundleOwnershipError } from '../../src/bundle/bundle-errors.js';
import { bundleKey, layoutFor } from '../../src/bundle/bundle-layout.js';
import { emitApp, type AppBundle } from '../../src/bundle/emit-bundle.js';
import { isBundleDir, readBundleDir } from '../../src/files/bundle-dir/read-bundle-dir.js';
import { compile, type CompiledApp } from '../../src/compile.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { tempDir } from '../helpers/cli.js';
import { readTree } from '../helpers/tree.js';

/**
 * The bundle layouts of environments: `DIR/<env>/<app>/` for a render of every environment,
 * `DIR/<app>/` for one (`render --env`), under the guarantees of every bundle directory
 * (ownership record, foreign files, the transaction), and read back by `apply DIR`.
 */

const MANIFEST = '.kubemin-bundle.json';

function spec(name: string, environments?: unknown[], components?: unknown[]): string {
  const doc = {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: name },
    spec: {
      components: components ?? [
        { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] },
      ],
      ...(environments ? { environments } : {}),
    },
  };
  return emitYaml(doc as never);
}

const BOOKS = spec('books', [
  { name: 'dev', namespace: 'books-dev', components: { settings: { data: { LOG_LEVEL: 'debug' } } } },
  { name: 'staging', namespace: 'books-staging', cluster: 'staging-eu', components: { web: { replicas: 2 } } },
]);

function compiled(...texts: string[]): CompiledApp[] {
  const result = compile(texts.map((text, i) => ({ path: `app-${i}.kubemin.yaml`, text })));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.apps;
}

const bundles = (apps: readonly CompiledApp[], env?: string): AppBundle[] =>
  apps.filter((a) => env === undefined || !a.environment || a.environment === env).map((a) => emitApp(a, { layout: layoutFor(env) }));

const manifestApps = (dir: string): string[] => Object.keys((JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { apps: object }).apps);

describe('bundle layouts of environments', () => {
  const apps = compiled(BOOKS, spec('status'));

  it('a variant goes to <env>/<app>/ when every environment is rendered, to <app>/ when one is; an app without environments to <app>/ in both', () => {
    const [dev, staging, status] = apps;
    expect([dev!.environment, staging!.environment, status!.environment]).toEqual(['dev', 'staging', undefined]);
    expect(bundleKey(dev!, 'by-environment')).toBe('dev/books');
    expect(bundleKey(dev!, 'one-environment')).toBe('books');
    const nested = emitApp(staging!);
    const flat = emitApp(staging!, { layout: 'one-environment' });
    expect(nested.plan.path).toBe('staging/books.plan.json');
    expect(flat.plan.path).toBe('books.plan.json');
    expect(nested.files.map((f) => f.path)).toEqual(flat.files.map((f) => `staging/${f.path}`));
    // The manifests are the same bytes; only where they are differs.
    expect(nested.files.map((f) => f.text)).toEqual(flat.files.map((f) => f.text));
    expect(nested.planDocument.phases[0]!.dir).toBe('staging/books/01-settings-web');
    expect(flat.planDocument.phases[0]!.objects[0]!.file).toBe('books/01-settings-web/01-configmap-settings.yaml');
    // The plan says the environment and its cluster, in both layouts.
    for (const plan of [nested.planDocument, flat.planDocument])
      expect(plan).toMatchObject({ app: 'books', environment: 'staging', cluster: 'staging-eu', namespace: 'books-staging' });
    expect(emitApp(dev!).planDocument).not.toHaveProperty('cluster');
    // An app without environments: no new fields, the same files whatever the layout.
    expect(emitApp(status!).planDocument).not.toHaveProperty('environment');
    expect(emitApp(status!, { layout: 'one-environment' })).toEqual(emitApp(status!));
    expect(emitApp(status!).plan.path).toBe('status.plan.json');
  });

  it('render of every environment, then of one, then of every one again: each tree exactly its bundles, environment directories made and removed', () => {
    const dir = join(tempDir(), 'out');
    const all = bundles(apps);
    writeBundleDir(dir, all);
    const tree = readTree(dir, (p) => p !== MANIFEST);
    expect([...tree.keys()].filter((p) => p.endsWith('.plan.json'))).toEqual(['dev/books.plan.json', 'staging/books.plan.json', 'status.plan.json']);
    expect(tree).toEqual(
      new Map(
        all
          .flatMap((b) => [...b.files, b.plan])
          .map((f) => [f.path, f.text] as const)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    );
    expect(manifestApps(dir)).toEqual(['dev/books', 'staging/books', 'status']);
    expect(diffBundleDir(dir, all).changes).toEqual([]);

    const one = bundles(apps, 'staging');
    const diff = writeBundleDir(dir, one);
    expect(diff.apps).toEqual(['books', 'dev/books', 'staging/books']);
    expect(existsSync(join(dir, 'dev'))).toBe(false);
    expect(existsSync(join(dir, 'staging'))).toBe(false);
    expect([...readTree(dir, (p) => p.endsWith('.plan.json')).keys()]).toEqual(['books.plan.json', 'status.plan.json']);
    expect(manifestApps(dir)).toEqual(['books', 'status']);

    writeBundleDir(dir, all);
    expect(readTree(dir, (p) => p !== MANIFEST)).toEqual(tree);
  });

  it('one app rendered alone (--app) replaces all of its entries, in any layout, and keeps the other apps', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps));
    const books = (env?: string): AppBundle[] => bundles(apps, env).filter((b) => b.planDocument.app === 'books');
    // --app books --env staging: books becomes staging's, at books/; status stays.
    expect(writeBundleDir(dir, books('staging'), { keepOtherApps: true }).apps).toEqual(['books', 'dev/books', 'staging/books']);
    expect(manifestApps(dir)).toEqual(['books', 'status']);
    expect(existsSync(join(dir, 'dev'))).toBe(false);
    // --app books: every environment again, and books/ goes.
    writeBundleDir(dir, books(), { keepOtherApps: true });
    expect(manifestApps(dir)).toEqual(['dev/books', 'staging/books', 'status']);
    expect(existsSync(join(dir, 'books'))).toBe(false);
  });

  it('files kubemin did not write in an environment directory stay; in a variant directory they stop the render', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps));
    writeFileSync(join(dir, 'dev', 'NOTES.md'), 'mine\n');
    // Leaving dev out of the render removes dev/books but not the directory holding a file of someone else's.
    writeBundleDir(
      dir,
      bundles(apps).filter((b) => b.app !== 'dev/books'),
    );
    expect(readTree(join(dir, 'dev'))).toEqual(new Map([['NOTES.md', 'mine\n']]));

    writeBundleDir(dir, bundles(apps));
    writeFileSync(join(dir, 'staging', 'books', 'extra.yaml'), 'kind: ConfigMap\n');
    const before = readTree(dir);
    const changed = compiled(
      spec('books', [
        { name: 'dev', namespace: 'books-dev' },
        { name: 'staging', namespace: 'books-staging', components: { web: { replicas: 3 } } },
      ]),
      spec('status'),
    );
    const err = (() => {
      try {
        writeBundleDir(dir, bundles(changed));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(BundleOwnershipError);
    expect((err as BundleOwnershipError).entries).toEqual([{ app: 'staging/books', path: 'staging/books/extra.yaml', reason: 'not-written' }]);
    expect((err as Error).message).toContain(`${dir}/staging/books/extra.yaml was not written by kubemin (in app "staging/books")`);
    expect(readTree(dir)).toEqual(before);
    // render --check says so too, without writing.
    expect(diffBundleDir(dir, bundles(changed)).foreign).toEqual([{ app: 'staging/books', path: 'staging/books/extra.yaml', reason: 'not-written' }]);
  });

  it('an environment directory that is a link is never written through', () => {
    const root = tempDir();
    const dir = join(root, 'out');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(dir);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, 'staging'));
    expect(() => writeBundleDir(dir, bundles(apps))).toThrow(BundleOwnershipError);
    expect(() => writeBundleDir(dir, bundles(apps))).toThrow(
      `${dir}/staging is where environment "staging" of app "books" goes, but it is not a directory (a link, a file or a device)`,
    );
    expect(readTree(elsewhere).size).toBe(0);
    expect(existsSync(join(dir, 'dev'))).toBe(false);
    expect(diffBundleDir(dir, bundles(apps)).foreign).toEqual([{ app: 'staging/books', path: 'staging', reason: 'not-a-file' }]);
  });

  it('an app and an environment of one name cannot share its directory from one render to the next', () => {
    const dir = join(tempDir(), 'out');
    // An app named "staging", rendered first; then it is gone and books has an environment "staging".
    writeBundleDir(dir, bundles(compiled(spec('staging'))));
    const before = readTree(dir);
    expect(() => writeBundleDir(dir, bundles(apps))).toThrow(BundleDirError);
    expect(() => writeBundleDir(dir, bundles(apps))).toThrow(
      `cannot render into ${dir}: ${dir}/staging/ would hold app "books" (environment "staging") and app "staging", which an earlier render wrote there. Delete ${dir}/staging/ and ${dir}/staging.plan.json first, or render into another directory. Nothing was changed.`,
    );
    expect(readTree(dir)).toEqual(before);
    // As the message says: once they are deleted, the render goes through.
    rmSync(join(dir, 'staging'), { recursive: true });
    rmSync(join(dir, 'staging.plan.json'));
    writeBundleDir(dir, bundles(apps));
    expect(manifestApps(dir)).toEqual(['dev/books', 'staging/books', 'status']);
  });
});

describe('reading a bundle of environments back (apply DIR, diff)', () => {
  const apps = compiled(BOOKS, spec('status'));
  const strip = (a: CompiledApp): unknown => ({
    ...a,
    source: { file: a.source.file, line: a.source.line },
    phases: a.phases.map((p) => ({ ...p, objects: p.objects.map((o) => ({ ...o, source: { file: o.source.file, line: o.source.line } })) })),
  });
  const without = (a: CompiledApp): unknown => {
    // A bundle keeps neither the secret values nor dependsOn (its plan has the phases it made).
    const { secrets: _secrets, dependsOn: _dependsOn, ...rest } = a;
    return strip(rest as CompiledApp);
  };
  const readBack = (a: CompiledApp): unknown => strip(a);

  it('every environment: each variant with its environment and cluster, as compiled', async () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps));
    const read = await readBundleDir(dir);
    expect(read.map((a) => [a.name, a.environment, a.cluster])).toEqual([
      ['books', 'dev', undefined],
      ['books', 'staging', 'staging-eu'],
      ['status', undefined, undefined],
    ]);
    expect(read.map(readBack)).toEqual(apps.map(without));
  });

  it('one environment (render --env): the variant where an app without environments is, still knowing its environment', async () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps, 'staging'));
    const read = await readBundleDir(dir);
    expect(read.map((a) => [a.name, a.environment, a.cluster])).toEqual([
      ['books', 'staging', 'staging-eu'],
      ['status', undefined, undefined],
    ]);
    expect(read.map(readBack)).toEqual([apps[1]!, apps[2]!].map(without));
  });

  it('environment directories are those of its record: plans of another bundle copied in are not read', async () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps));
    // A bundle rendered elsewhere, kept inside this one: not this bundle's apps.
    writeBundleDir(join(dir, 'archive'), bundles(compiled(spec('old'))));
    expect((await readBundleDir(dir)).map((a) => `${a.environment ?? '-'}/${a.name}`)).toEqual(['dev/books', 'staging/books', '-/status']);
    // And a spec repository holding a rendered bundle is not a bundle directory itself.
    const repo = tempDir();
    writeFileSync(join(repo, 'kubemin.yaml'), BOOKS);
    writeBundleDir(join(repo, 'rendered'), bundles(apps));
    expect(await isBundleDir(repo)).toBe(false);
    expect(await isBundleDir(join(repo, 'rendered'))).toBe(true);
  });

  it('two plans of one app and environment (a variant copied to the top by hand) are refused, naming both', async () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps));
    const flat = emitApp(apps[0]!, { layout: 'one-environment' });
    for (const f of [...flat.files, flat.plan]) {
      mkdirSync(join(dir, f.path, '..'), { recursive: true });
      writeFileSync(join(dir, f.path), f.text);
    }
    await expect(readBundleDir(dir)).rejects.toThrow(
      `${dir}: books.plan.json and dev/books.plan.json are both the plan of application "books" (environment "dev"); render the bundle again (kubemin render --out ${dir})`,
    );
  });

  it("a plan in an environment directory that is not that environment's is refused, naming it", async () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, bundles(apps));
    const path = join(dir, 'dev', 'books.plan.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"environment": "dev"', '"environment": "production"'));
    await expect(readBundleDir(dir)).rejects.toThrow(
      `${path}: not a kubemin plan (environment "dev", as its directory); move it out of ${dir} if kubemin did not write it`,
    );
    // Nor may a variant's plan name files of another app.
    writeBundleDir(join(dir, '..', 'again'), bundles(apps));
    const other = join(dir, '..', 'again', 'staging', 'books.plan.json');
    writeFileSync(other, readFileSync(other, 'utf8').replaceAll('"file": "staging/books/', '"file": "dev/books/'));
    await expect(readBundleDir(join(dir, '..', 'again'))).rejects.toThrow('not a kubemin plan (each object a file under staging/books/)');
  });
});
