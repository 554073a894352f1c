import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// yaml-language-server's own dependency (the document type its service takes).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type Diagnostic } from 'yaml-language-server';
import { PluginResolver } from '../../src/plugins/load-plugins.js';
import { buildEditorSchema } from '../../src/spec/editor-schema.js';
import { REPO } from '../helpers/tree.js';

/**
 * The editor side of the schema, checked with the language server editors run (VS Code's YAML
 * extension, and the yaml-language-server of Neovim, Helix, Zed...): its validation service, as its
 * LSP server calls it, finding the schema through each file's `# yaml-language-server: $schema=`
 * comment, resolved from disk as the server resolves it.
 */
const service = getLanguageService({
  schemaRequestService: (uri) => readFile(fileURLToPath(uri), 'utf8'),
  workspaceContext: { resolveRelativePath: (path, resource) => new URL(path, resource).href },
});
service.configure({ validate: true, completion: true, hover: true });

const EXAMPLES = ['examples/shop', 'examples/ai-eval', 'examples/nightly-report', 'examples/plugins/ai-eval'];
const SHOP = join(REPO, 'examples/shop/kubemin.yaml');
const shop = readFileSync(SHOP, 'utf8');

/** The valid specs of the rendering goldens. */
function renderFixtures(): string[] {
  const root = join(REPO, 'fixtures/render');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /(^|\/)([^/]+\.)?kubemin\.yaml$/.test(f) && !f.includes('expected'))
    .map((f) => `fixtures/render/${f}`)
    .sort();
}

let version = 0;
/** A new version each time: the service caches what it parsed by document and version. */
function documentAt(file: string, text: string): TextDocument {
  return TextDocument.create(pathToFileURL(file).href, 'yaml', ++version, text);
}

async function problems(file: string, text: string): Promise<Array<{ line: number; message: string }>> {
  const found: Diagnostic[] = await service.doValidation(documentAt(file, text), false);
  return found.map((d) => ({ line: d.range.start.line + 1, message: typeof d.message === 'string' ? d.message : d.message.value }));
}

/** The shop example with `line` (1-based) replaced through `edit`. */
function shopWith(line: number, edit: (text: string) => string): string {
  const lines = shop.split('\n');
  const before = lines[line - 1]!;
  lines[line - 1] = edit(before);
  expect(lines[line - 1], 'the edit changes the line').not.toBe(before);
  return lines.join('\n');
}

describe('yaml-language-server with the editor schema', () => {
  it.each(EXAMPLES)('%s: no problems (its schema comment resolves, its plugins included)', async (dir) => {
    const file = join(REPO, dir, 'kubemin.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+\.json$/);
    expect(await problems(file, text)).toEqual([]);
  });

  it.each(renderFixtures())('%s: no problems (the golden specs use every trait and field)', async (file) => {
    const path = join(REPO, file);
    // The schema comment of each document (yaml-language-server reads it per document).
    const modeline = `# yaml-language-server: $schema=${pathToFileURL(join(REPO, 'schemas/kubemin.schema.json')).href}`;
    const text = readFileSync(path, 'utf8')
      .replace(/^# yaml-language-server:.*\n/, '')
      .replace(/^---\n/gm, `---\n${modeline}\n`);
    expect(await problems(path, `${modeline}\n${text}`)).toEqual([]);
    // Not vacuous: the schema is found and applied, in the last document too.
    const broken = await problems(path, `${modeline}\n${text.trimEnd()}\nbogus: 1\n`);
    expect(broken.map((p) => p.message)).toEqual(['Property bogus is not allowed.']);
  });

  it('the plugin example points at its own schema, with its plugins, up to date (npm run schema:write)', async () => {
    const dir = join(REPO, 'examples/plugins/ai-eval');
    const resolver = new PluginResolver();
    const schema = buildEditorSchema((await resolver.forDir(dir)).registry);
    await resolver.close();
    expect(readFileSync(join(dir, '.kubemin/schema.json'), 'utf8')).toBe(JSON.stringify(schema, null, 2) + '\n');
    expect(Object.keys(schema.$defs ?? {})).toEqual(expect.arrayContaining(['component.ai-eval', 'trait.serviceMonitor']));
    // With the built-in schema instead, its plugin's fields are errors: the example needs its own.
    const builtin = relative(dir, join(REPO, 'schemas/kubemin.schema.json'));
    const text = readFileSync(join(dir, 'kubemin.yaml'), 'utf8').replace(/^# yaml-language-server: \$schema=\S+/, `# yaml-language-server: $schema=${builtin}`);
    expect((await problems(join(dir, 'kubemin.yaml'), text)).length).toBeGreaterThan(0);
  });

  it('finds the three classic mistakes, each at its line, and nothing else', async () => {
    const unknownField = shopWith(35, (l) => l.replace('replicas: 2', 'replica: 2'));
    expect(await problems(SHOP, unknownField)).toEqual([{ line: 35, message: 'Property replica is not allowed.' }]);

    const wrongEnum = shopWith(10, (l) => l.replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: Sometimes'));
    expect(await problems(SHOP, wrongEnum)).toEqual([
      { line: 10, message: expect.stringMatching(/^Value is not accepted\. Valid values: "Always", "IfNotPresent", "Never"/) },
    ]);

    const wrongType = shopWith(35, (l) => l.replace('replicas: 2', 'replicas: two'));
    expect(await problems(SHOP, wrongType)).toEqual([{ line: 35, message: 'Incorrect type. Expected "integer".' }]);
  });

  it("catches what kubemin's formats catch, through their patterns, with the format's rule as message", async () => {
    const name = shopWith(32, (l) => l.replace('name: web', 'name: Web'));
    expect(await problems(SHOP, name)).toEqual([{ line: 32, message: expect.stringContaining('must be a lowercase RFC 1123 label') }]);
    const duration = shopWith(10, (l) => l.replace('timeout: 5m', 'timeout: 5 minutes'));
    expect(await problems(SHOP, duration)).toEqual([{ line: 10, message: 'must be a duration such as "90s", "5m" or "1h30m"' }]);
    const quantity = shopWith(20, (l) => l.replace('memory: 256Mi', 'memory: 256MB'));
    expect(await problems(SHOP, quantity)).toEqual([{ line: 20, message: expect.stringContaining('must be a Kubernetes quantity') }]);
  });

  it('shows a field description on hover (a probe handler, whose trait table has none of its own)', async () => {
    const line = shop.split('\n').findIndex((l) => l.includes('httpGet: {path: /healthz'));
    const hover = await service.doHover(documentAt(SHOP, shop), { line, character: shop.split('\n')[line]!.indexOf('httpGet') + 2 });
    const contents = hover?.contents;
    const text = typeof contents === 'string' ? contents : contents && 'value' in contents ? contents.value : JSON.stringify(contents);
    expect(text).toContain('An HTTP GET: a status from 200 to 399 is success.');
  });

  it('completes a component type with its description', async () => {
    const line = shop.split('\n').findIndex((l) => l.includes('type: worker'));
    const text = shop.replace('type: worker', 'type: ');
    const completion = await service.doComplete(documentAt(SHOP, text), { line, character: '      type: '.length }, false);
    const worker = completion.items.find((i) => i.label === 'worker');
    expect(worker).toBeDefined();
    const documentation = typeof worker!.documentation === 'string' ? worker!.documentation : worker!.documentation?.value;
    expect(documentation).toContain('Deployment');
    expect(completion.items.map((i) => i.label)).toEqual(expect.arrayContaining(['webservice', 'worker', 'store', 'job', 'cronjob', 'config', 'secret']));
  });
});
