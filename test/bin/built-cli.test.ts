import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { builtBinary, runBinary } from '../plugins/built-binary.js';

/**
 * The CLI a user installs: `bin/kubemin.js` over the bundle `npm run build` writes (built once for
 * this file into a temp dir, with the same esbuild options, so the checkout's build/ is neither
 * needed nor raced), run as a child process. Each command must print what the source CLI prints,
 * byte for byte, and exit the same; what it prints is also checked against what the spec says, so
 * that a bundle and a source that break the same way do not pass.
 */

const SHOP = join(REPO, 'examples/shop');
let bin: string;

beforeAll(async () => {
  bin = await builtBinary();
});

describe('bin/kubemin.js, built', () => {
  it('is the bundle, not the sources or the checkout build', () => {
    expect(bin.startsWith(REPO)).toBe(false);
    expect(readFileSync(bin, 'utf8')).toContain("from '../build/cli/main.js'");
    const main = readFileSync(join(dirname(bin), '..', 'build', 'cli', 'main.js'), 'utf8');
    expect(main).toMatch(/\bexport\s*\{[^}]*\brunCli\b/);
    expect(main).not.toMatch(/from\s*["'][^"']*\/src\//);
  });

  it('--version prints the version of package.json, as the source CLI does', async () => {
    const built = await runBinary(bin, ['--version'], REPO);
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(built).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await cli(['--version'], REPO)).toEqual(built);
  });

  it('validate examples/shop: exit 0, the same report as the source CLI', async () => {
    const built = await runBinary(bin, ['validate', 'examples/shop'], REPO);
    expect(built.code).toBe(0);
    expect(built.stdout).toBe('1 file(s), 1 application(s): no problems found\n');
    expect(await cli(['validate', 'examples/shop'], REPO)).toEqual(built);
  });

  it('validate of a broken spec: exit 1 and the problem at its file:line:col, as the source CLI', async () => {
    const dir = tempDir('kubemin-built-');
    cpSync(SHOP, dir, { recursive: true });
    const file = join(dir, 'kubemin.yaml');
    const text = readFileSync(file, 'utf8');
    // The first `replicas:` misspelt: where it is, found here in the text, not by kubemin.
    const at = text.indexOf('replicas:');
    expect(at).toBeGreaterThan(0);
    const line = text.slice(0, at).split('\n').length;
    const col = at - text.lastIndexOf('\n', at - 1);
    writeFileSync(file, `${text.slice(0, at)}replica:${text.slice(at + 'replicas:'.length)}`);
    const built = await runBinary(bin, ['validate', '.'], dir);
    expect(built.code).toBe(1);
    expect(built.stdout).toBe('');
    expect(built.stderr).toContain(`kubemin.yaml:${line}:${col} error unknown-field unknown field "replica"`);
    expect(built.stderr).toContain('did you mean "replicas"?');
    expect(built.stderr).toMatch(/\n1 error, 0 warnings in 1 file\n$/);
    expect(await cli(['validate', '.'], dir)).toEqual(built);
  });

  it('render to stdout: the YAML stream of every object, as the source CLI prints it', async () => {
    const built = await runBinary(bin, ['render', 'examples/shop'], REPO);
    expect(built.code).toBe(0);
    expect(built.stderr).toBe('');
    const spec = readFileSync(join(SHOP, 'kubemin.yaml'), 'utf8');
    const components = [...spec.matchAll(/^ {4}- name: ([a-z0-9-]+)\n {6}type: (webservice|worker|store)$/gm)].map((m) => m[1]!);
    expect(components.length).toBeGreaterThan(0);
    for (const c of components) expect(built.stdout).toMatch(new RegExp(`^kind: (Deployment|StatefulSet)\\nmetadata:\\n  name: ${c}\\n`, 'm'));
    expect(await cli(['render', 'examples/shop'], REPO)).toEqual(built);
  });
});
