/**
 * Pod fields an environment variable can read (`valueFrom.fieldRef.fieldPath`), as the API
 * server allows them for containers' env: a fixed set, plus one label or annotation by key.
 */
import { checkLabelKey } from './names.js';
import { quote } from './quote.js';

const FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const RULE = `a pod field: ${FIELDS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`;

export function checkEnvFieldPath(s: string): string | undefined {
  const fail = (problem: string): string => `${quote(s)} must be ${RULE}; ${problem}`;
  if (FIELDS.includes(s)) return undefined;
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/su.exec(s);
  if (!m) return fail('it is none of these');
  // Annotation keys are compared case-insensitively, label keys are not.
  const key = m[1] === 'annotations' ? m[2]!.toLowerCase() : m[2]!;
  const problem = checkLabelKey(key);
  return problem === undefined ? undefined : fail(`the key is not valid: ${problem}`);
}
