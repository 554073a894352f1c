/**
 * The secret values of a KubeMin-Cli application: `properties.secret` of every component,
 * whatever its type says (a misspelled `type` does not make a Secret's data public), as strings or
 * as the numbers and booleans a wrong input may hold. For the output boundary: no warning or
 * error may show them.
 */
export function kubeminCliSecrets(json: unknown): string[] {
  const components = isRecord(json) && Array.isArray(json.component) ? json.component : [];
  const out: string[] = [];
  for (const c of components) {
    const secret = isRecord(c) && isRecord(c.properties) ? c.properties.secret : undefined;
    for (const v of isRecord(secret) ? Object.values(secret) : [secret]) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
      else if (v !== null && typeof v === 'object') out.push(JSON.stringify(v));
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where the secret values are in the input (JSON pointers), for masking them in code frames. */
export function kubeminCliSecretPointers(json: unknown): string[] {
  const components = isRecord(json) && Array.isArray(json.component) ? json.component : [];
  return components.flatMap((c, i) => (isRecord(c) && isRecord(c.properties) && 'secret' in c.properties ? [`/component/${i}/properties/secret`] : []));
}
