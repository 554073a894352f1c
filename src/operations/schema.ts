import { stat } from 'node:fs/promises';
import { PluginResolver } from '../plugins/load-plugins.js';
import { buildEditorSchema } from '../spec/editor-schema.js';

export type SchemaOutcome =
  { readonly kind: 'not-a-directory'; readonly exists: boolean } | { readonly kind: 'schema'; readonly schema: ReturnType<typeof buildEditorSchema> };

/** `kubemin schema`: the editor's JSON Schema of kubemin.yaml, with the plugins declared for `dir` (the nearest kubemin.config above it). */
export async function editorSchema(opts: { readonly dir: string }): Promise<SchemaOutcome> {
  const info = await stat(opts.dir).catch(() => undefined);
  if (!info?.isDirectory()) return { kind: 'not-a-directory', exists: info !== undefined };
  const resolver = new PluginResolver();
  try {
    const { registry } = await resolver.forDir(opts.dir);
    return { kind: 'schema', schema: buildEditorSchema(registry) };
  } finally {
    await resolver.close();
  }
}
