import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { editYamlDocument } from '../../src/promote/edit-yaml-document.js';
import { PromoteError } from '../../src/promote/promote-error.js';

/** The document's mapping at `path` set to `value`, through the editor. */
function edit(text: string, path: Array<string | number>, value: Record<string, unknown>, docIndex = 0): string {
  return editYamlDocument(text, { docIndex, path, value: value as never });
}

/** The mapping at `path` as written, changed by `change`, through the editor. */
function changed(text: string, path: Array<string | number>, change: (v: Record<string, any>) => void, docIndex = 0): string {
  const value = parseAllDocuments(text)[docIndex]!.getIn(path, false) as { toJSON(): Record<string, any> };
  const js = value.toJSON();
  change(js);
  return edit(text, path, js, docIndex);
}

const ENV = ['spec', 'environments', 1];

const BLOCK = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: books               # the app
spec:
  components:
    - {name: api, type: webservice, image: registry.example.com/books/api:2.3.0}
  environments:
    - name: staging         # first stop
      components:
        api: {replicas: 1, image: "registry.example.com/books/api:2.4.0"}   # rc
    - name: production

      # production overrides
      components:
        api:
          replicas: 3       # three pods
          image: 'registry.example.com/books/api:2.3.1'   # hotfix
`;

describe('editYamlDocument', () => {
  it('changes a scalar in place: its quoting and the comment after it stay', () => {
    const out = changed(BLOCK, ENV, (env) => (env.components.api.image = 'registry.example.com/books/api:2.4.0'));
    expect(out).toBe(BLOCK.replace("image: 'registry.example.com/books/api:2.3.1'   # hotfix", "image: 'registry.example.com/books/api:2.4.0'   # hotfix"));
    const staging = changed(BLOCK, ['spec', 'environments', 0], (env) => (env.components.api.image = 'x:2.5'));
    expect(staging).toBe(BLOCK.replace('image: "registry.example.com/books/api:2.4.0"}', 'image: "x:2.5"}'));
  });

  it('adds a key last in a block mapping, at its indentation', () => {
    const out = changed(BLOCK, ENV, (env) => (env.components.api.env = { LOG_LEVEL: 'info', PORT: '8080' }));
    expect(out).toBe(BLOCK + '          env:\n            LOG_LEVEL: info\n            PORT: "8080"\n');
  });

  it('adds a key last in a flow mapping', () => {
    const out = changed(BLOCK, ['spec', 'environments', 0], (env) => (env.components.api.command = ['./api', '--fast, safe']));
    expect(out).toBe(BLOCK.replace('"registry.example.com/books/api:2.4.0"}', '"registry.example.com/books/api:2.4.0", command: [./api, "--fast, safe"]}'));
  });

  it('removes a key of a block mapping with its line and the comment lines right above it', () => {
    const text = BLOCK.replace("          image: 'registry", "          # pinned until the fix\n          image: 'registry");
    const out = changed(text, ENV, (env) => delete env.components.api.image);
    expect(out).toBe(BLOCK.replace("          image: 'registry.example.com/books/api:2.3.1'   # hotfix\n", ''));
  });

  it('removes a whole override (the mapping left empty goes with its key)', () => {
    const out = changed(BLOCK, ENV, (env) => delete env.components);
    expect(out).toBe(BLOCK.slice(0, BLOCK.indexOf('      # production overrides')));
  });

  it('puts a new key before the next key of the value that the mapping has (above its comments), or last', () => {
    const text = 'c:\n  api: {image: a}\n\n  # the auth\n  auth: {x: 1}\n';
    expect(edit(text, ['c'], { api: { image: 'a' }, worker: { image: 'w' }, auth: { x: 1 } })).toBe(
      'c:\n  api: {image: a}\n\n  worker:\n    image: w\n  # the auth\n  auth: {x: 1}\n',
    );
    expect(edit('f: {api: 1, auth: 2}\n', ['f'], { api: 1, worker: 3, auth: 2 })).toBe('f: {api: 1, worker: 3, auth: 2}\n');
    expect(edit('f: {api: 1, auth: 2}\n', ['f'], { first: 0, api: 1, auth: 2 })).toBe('f: {first: 0, api: 1, auth: 2}\n');
    // Not before the key right after a list item's dash: last instead.
    expect(edit('l:\n  - name: x\n    b: 1\n', ['l', 0], { a: 0, name: 'x', b: 1 })).toBe('l:\n  - name: x\n    b: 1\n    a: 0\n');
  });

  it('removes keys of a flow mapping with their commas: first, middle, last', () => {
    const text = 'a: {x: 1, y: "2", z: 3}  # c\n';
    expect(edit(text, [], { a: { y: '2', z: 3 } })).toBe('a: {y: "2", z: 3}  # c\n');
    expect(edit(text, [], { a: { x: 1, z: 3 } })).toBe('a: {x: 1, z: 3}  # c\n');
    expect(edit(text, [], { a: { x: 1, y: '2' } })).toBe('a: {x: 1, y: "2"}  # c\n');
    expect(edit(text, [], { a: { y: '2' } })).toBe('a: {y: "2"}  # c\n');
    expect(edit(text, [], { a: { w: 0 } })).toBe('a: {w: 0}  # c\n');
    expect(edit(text, [], { a: { x: 1, z: 4, w: 0 } })).toBe('a: {x: 1, z: 4, w: 0}  # c\n');
  });

  it('adds components to an environment that has none, in block and in flow style', () => {
    const text = 'spec:\n  environments:\n    - name: staging   # s\n    - {name: production, namespace: prod}\n';
    const value = (name: string, extra: object) => ({ name, ...extra, components: { api: { image: 'a:2' } } });
    expect(edit(text, ['spec', 'environments', 0], value('staging', {}))).toBe(
      'spec:\n  environments:\n    - name: staging   # s\n      components:\n        api:\n          image: a:2\n    - {name: production, namespace: prod}\n',
    );
    expect(edit(text, ['spec', 'environments', 1], value('production', { namespace: 'prod' }))).toBe(
      'spec:\n  environments:\n    - name: staging   # s\n    - {name: production, namespace: prod, components: {api: {image: a:2}}}\n',
    );
  });

  it("follows the file's indentation (4 spaces, lists not indented)", () => {
    const text =
      'spec:\n    components:\n    - name: api\n    environments:\n    -   name: prod\n        components:\n            api:\n                replicas: 2\n';
    const out = edit(text, ['spec', 'environments', 0], { name: 'prod', components: { api: { replicas: 2, traits: { autoscale: { minReplicas: 2 } } } } });
    expect(out).toBe(text + '                traits:\n                    autoscale:\n                        minReplicas: 2\n');
  });

  it('the first key of a list item gives its place after the dash to the next one', () => {
    const text = 'envs:\n  - components:\n      api: {image: a:1}\n    name: prod\n';
    expect(edit(text, ['envs', 0], { name: 'prod' })).toBe('envs:\n  - name: prod\n');
  });

  it('replaces a list whole, and a scalar by a mapping', () => {
    const text = 'c:\n  ports:\n    - port: 80   # http\n  image: a:1  # old\n';
    expect(edit(text, ['c'], { ports: [{ port: 8080 }], image: 'a:1' })).toBe('c:\n  ports:\n    - port: 8080\n  image: a:1  # old\n');
    expect(edit(text, ['c'], { ports: [{ port: 80 }], image: { name: 'a' } })).toBe('c:\n  ports:\n    - port: 80   # http\n  image:\n    name: a  # old\n');
  });

  it('edits one document of several; the others stay byte for byte', () => {
    const other = '# first app\napiVersion: v1   # keep\nkind: Application\nmetadata: {name: one}\n';
    const text = `${other}---\n${BLOCK}---\n${other}`;
    const out = changed(text, ENV, (env) => (env.components.api.replicas = 5), 1);
    expect(out).toBe(`${other}---\n${BLOCK.replace('replicas: 3       # three pods', 'replicas: 5       # three pods')}---\n${other}`);
  });

  it('keeps CRLF line endings, and a last line without a newline', () => {
    const text = 'a:\r\n  b: 1\r\n  c: 2';
    expect(edit(text, ['a'], { b: 1, c: 2, d: { e: 'x' } })).toBe('a:\r\n  b: 1\r\n  c: 2\r\n  d:\r\n    e: x\r\n');
    expect(edit(text, ['a'], { c: 2 })).toBe('a:\r\n  c: 2');
  });

  it('quotes a new string where YAML would read something else', () => {
    const text = 'env:\n  A: x\n';
    expect(edit(text, ['env'], { A: '1.0', B: 'true', C: 'a: b', D: '#x' })).toBe('env:\n  A: "1.0"\n  B: "true"\n  C: "a: b"\n  D: "#x"\n');
  });

  it('refuses to change a value that carries an anchor (others may share it)', () => {
    const text = 'a:\n  b: &img x:1\n  c: *img\n';
    expect(() => edit(text, ['a'], { b: 'x:2', c: 'x:1' })).toThrow(PromoteError);
  });

  it('changes nothing when the value is the same', () => {
    expect(changed(BLOCK, ENV, () => undefined)).toBe(BLOCK);
  });
});
