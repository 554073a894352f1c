import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, isMap, isSeq, type Document } from 'yaml';
import { compile } from '../src/compile.js';
import type { SourceFile } from '../src/load/source.js';
import { bundleTree, caseDirs, readNamedFiles, readSpecs, registriesFor, REPO } from './helpers/tree.js';

/** Same input, byte-identical bundle: whatever the order of files or of independent components. */

const allSpecs: SourceFile[] = [...caseDirs(join(REPO, 'fixtures/render')), ...caseDirs(join(REPO, 'examples'))].flatMap((dir) => {
  const prefix = dir.slice(REPO.length + 1);
  return readSpecs(dir).map((f) => ({ path: `${prefix}/${f.path}`, text: f.text }));
});

// The plugin example (examples/plugins) compiles with its plugins, as `kubemin render` finds them.
const registry = await registriesFor(allSpecs, REPO);
// The files the specs name (k8s-objects), read once: the compiler takes them as data.
const named = await readNamedFiles(allSpecs, REPO, registry);

function render(files: SourceFile[]): Map<string, string> {
  const result = compile(files, { registry, files: named });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bundleTree(result.apps);
}

/** Plans without source lines: reordering components moves their lines, nothing else. */
function withoutSources(tree: Map<string, string>): Map<string, string> {
  return new Map([...tree].map(([p, t]) => [p, p.endsWith('.plan.json') ? t.replace(/"source": "[^"]*"/g, '"source": "-"') : t]));
}

/** Reorders `spec.components` of every document of a file by the given permutation keys. */
function permuteComponents(text: string, keys: number[]): string {
  const docs = parseAllDocuments(text) as Document[];
  return docs
    .map((doc) => {
      const comps = doc.getIn(['spec', 'components']);
      if (isSeq(comps)) {
        const order = comps.items.map((item, i) => ({ item, k: keys[i % keys.length]! * 1000 + i }));
        comps.items = order.sort((a, b) => a.k - b.k).map((o) => o.item);
      }
      if (!isMap(doc.contents)) throw new Error('not a mapping');
      return doc.toString();
    })
    .join('---\n');
}

describe('determinism', () => {
  const reference = render(allSpecs);

  it('renders the same bytes twice', () => {
    expect(render(allSpecs)).toEqual(reference);
  });

  it('does not depend on the order of spec files', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(allSpecs, { minLength: allSpecs.length, maxLength: allSpecs.length }), (files) => {
        expect(render(files)).toEqual(reference);
      }),
      { numRuns: 25 },
    );
  });

  it('does not depend on the order of components in a file', () => {
    const base = withoutSources(reference);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 12 }), (keys) => {
        const files = allSpecs.map((f) => ({ path: f.path, text: permuteComponents(f.text, keys) }));
        expect(withoutSources(render(files))).toEqual(base);
      }),
      { numRuns: 25 },
    );
  });

  it('the component permutation really reorders (the property is not vacuous)', () => {
    const shop = allSpecs.find((f) => f.path === 'examples/shop/kubemin.yaml')!;
    const permuted = permuteComponents(shop.text, [5, 1, 3, 0, 2]);
    const names = (t: string) => [...t.matchAll(/^ {4}- (?:\{)?name: ([\w-]+)/gm)].map((m) => m[1]);
    expect(names(permuted)).not.toEqual(names(shop.text));
  });
});
