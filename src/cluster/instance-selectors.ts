/** The label whose values select the objects of apps in a LIST across namespaces (every object kubemin renders has it). */
const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Most characters of the values in one LIST's label selector (the URL stays short; more apps take more LISTs). */
const MAX_SELECTOR_CHARS = 4000;

/** `app.kubernetes.io/instance in (a,b,...)`, as many as the apps' names need: one LIST each. */
export function instanceSelectors(instances: readonly string[]): string[] {
  const chunks: string[][] = [[]];
  let chars = 0;
  for (const i of instances) {
    if (chars + i.length > MAX_SELECTOR_CHARS && chunks.at(-1)!.length) {
      chunks.push([]);
      chars = 0;
    }
    chunks.at(-1)!.push(i);
    chars += i.length + 1;
  }
  return chunks.map((c) => `${INSTANCE_LABEL} in (${c.join(',')})`);
}
