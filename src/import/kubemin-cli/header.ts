/** What KubeMin-Cli knows about an application that has no meaning for deploying it. */
export interface AppAbout {
  readonly id?: string | undefined;
  readonly alias?: string | undefined;
  readonly version?: string | undefined;
  readonly project?: string | undefined;
  readonly description?: string | undefined;
}

/**
 * The comment lines the imported spec starts with; `schemaRef` is the editor schema's path relative
 * to the spec (src/init/editor-schema-file.ts).
 */
export function importHeader(file: string, about: AppAbout, schemaRef: string): string {
  const lines = [`yaml-language-server: $schema=${schemaRef}`, `Imported from the KubeMin-Cli application ${oneLine(file)} by \`kubemin import kubemin-cli\`.`];
  const facts = (['alias', 'version', 'project', 'id'] as const)
    .filter((k) => about[k] !== undefined && about[k] !== '')
    .map((k) => `${k} ${oneLine(about[k] ?? '')}`);
  if (facts.length) lines.push(`KubeMin-Cli ${facts.join(', ')}`);
  if (about.description) {
    const [first, ...rest] = about.description
      .trim()
      .split(/\r\n|\r|\n/)
      .map((l) => oneLine(l).trimEnd());
    lines.push(`description: ${first ?? ''}`, ...rest.map((l) => (l === '' ? '' : `  ${l}`)));
  }
  return lines.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n') + '\n';
}

/** Text that stays on one comment line: control characters become spaces. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
