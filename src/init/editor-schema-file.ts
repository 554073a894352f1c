/**
 * The editor schema a new spec points at: `.kubemin/schema.json`, what `kubemin schema` prints for
 * the spec's directory (its plugins included), written beside the kubemin.config that declares
 * them (so every spec under it shares one), else beside the spec. The spec's
 * `# yaml-language-server: $schema=...` comment names it by a relative path, which resolves
 * wherever the repository is checked out.
 */
import { join, relative, resolve, sep } from 'node:path';
import { findPluginConfig, PluginResolver } from '../plugins/load-plugins.js';
import { configRoot } from '../plugins/worker-load.js';
import { buildEditorSchema } from '../spec/editor-schema.js';
import { writeFileAtomically } from '../files/write-file-atomically.js';

const EDITOR_SCHEMA_FILE = join('.kubemin', 'schema.json');

export interface EditorSchemaPlace {
  /** Where the schema is written. */
  readonly file: string;
  /** The `$schema=` reference of a spec in the directory asked for: a POSIX path relative to it. */
  readonly ref: string;
}

/** Where the editor schema of a spec in `specDir` goes (which may not exist yet), and how the spec names it. */
export function editorSchemaPlace(specDir: string, findConfig: (dir: string) => string | undefined = findPluginConfig): EditorSchemaPlace {
  const dir = resolve(specDir);
  const config = findConfig(dir);
  const file = join(config ? configRoot(config) : dir, EDITOR_SCHEMA_FILE);
  return { file, ref: relative(dir, file).split(sep).join('/') };
}

/** Writes the editor schema for the plugins that apply to `specDir` at `place.file` (replacing an older one). */
export async function writeEditorSchema(specDir: string, place: EditorSchemaPlace): Promise<void> {
  const resolver = new PluginResolver();
  try {
    const { registry } = await resolver.forDir(specDir);
    await writeFileAtomically(place.file, JSON.stringify(buildEditorSchema(registry), null, 2) + '\n', { existing: 'replace' });
  } finally {
    await resolver.close();
  }
}
