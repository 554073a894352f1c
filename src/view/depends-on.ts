/**
 * The `dependsOn` of each component of the application named `app`, from the documents of its
 * spec file (as parsed YAML values); empty when no document is that application. The plan keeps
 * the phases the components are in, not the dependencies between them: the page draws them from here.
 */
export function componentDependsOn(documents: readonly unknown[], app: string): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  const doc = documents.find((d) => isRecord(d) && isRecord(d.metadata) && d.metadata.name === app);
  const components = isRecord(doc) && isRecord(doc.spec) && Array.isArray(doc.spec.components) ? doc.spec.components : [];
  for (const c of components) {
    if (!isRecord(c) || typeof c.name !== 'string' || !Array.isArray(c.dependsOn)) continue;
    deps.set(
      c.name,
      c.dependsOn.filter((d): d is string => typeof d === 'string'),
    );
  }
  return deps;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
