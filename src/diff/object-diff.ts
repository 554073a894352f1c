import { structuredPatch } from 'diff';
import { emitYaml, type JsonValue } from '../bundle/yaml-emit.js';
import type { K8sObject } from '../k8s/types.js';

const CONTEXT_LINES = 3;

/**
 * A unified diff of two objects as YAML, hunks only (`@@ ... @@` then ` `, `-`, `+` lines).
 * Empty when both render the same. A missing side is empty text (create or delete).
 */
export function unifiedDiff(before: K8sObject | undefined, after: K8sObject | undefined): string {
  const a = before ? emitYaml(before as unknown as JsonValue) : '';
  const b = after ? emitYaml(after as unknown as JsonValue) : '';
  if (a === b) return '';
  const patch = structuredPatch('live', 'bundle', a, b, '', '', { context: CONTEXT_LINES });
  const out: string[] = [];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const line of h.lines) if (!line.startsWith('\\')) out.push(line);
  }
  return out.join('\n') + '\n';
}
