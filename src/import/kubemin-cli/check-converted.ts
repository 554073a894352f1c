import { compile } from '../../compile.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { inputPointer } from './map-pointer.js';
import type { Problems } from './problems.js';

/**
 * Runs kubemin's own validation (schema, rules, expansion) on the converted spec, so that a spec
 * kubemin would refuse is never written. Its problems are reported at the nearest place of the
 * input, with the place in the converted spec in the message.
 */
export function checkConverted(text: string, input: unknown, stepOrigins: readonly string[], problems: Problems): void {
  const result = compile([{ path: 'kubemin.yaml', text }]);
  for (const d of result.diagnostics) {
    const pointer = inputPointer(d.pointer ?? '', input, stepOrigins);
    const message = describe(d);
    if (d.severity === 'error') problems.error(pointer, d.code, `kubemin refuses the converted spec: ${message}`);
    else problems.warn(pointer, d.code, `kubemin warns: ${message}`);
  }
}

function describe(d: Diagnostic): string {
  const at = d.pointer ? ` (at ${d.pointer} of the converted spec)` : '';
  return `${d.message}${at}${d.hint ? `; ${d.hint}` : ''}`;
}
