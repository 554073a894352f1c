import { KubeminError } from '../errors/kubemin-error.js';
/** The Action's inputs (action.yml), checked. */
type ActionMode = 'diff' | 'render' | 'validate';

export interface ActionInputs {
  /** Spec paths relative to the workspace. */
  readonly paths: readonly string[];
  readonly token: string;
  /** Kubeconfig content or path, as given. */
  readonly kubeconfig: string;
  readonly context: string;
  /** Only these environments (their variants, and the apps without environments); empty: all. */
  readonly environments: readonly string[];
  readonly mode: ActionMode;
  readonly comment: boolean;
  readonly failOnChanges: boolean;
  readonly maxCommentSize: number;
}

export class InputError extends KubeminError {
  override readonly name = 'InputError';
}

const MODES: readonly ActionMode[] = ['diff', 'render', 'validate'];
/** An environment's name, as the spec's schema has it (RFC 1123 label). */
const ENV_NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function bool(name: string, value: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0|)$/i.test(value)) return false;
  throw new InputError(`input ${name}: "${value}" is not true or false`);
}

/** From `get(name)` (core.getInput), with action.yml's defaults for what is empty. */
export function readInputs(get: (name: string) => string): ActionInputs {
  const mode = (get('mode') || 'diff') as ActionMode;
  if (!MODES.includes(mode)) throw new InputError(`input mode: "${mode}" is not one of ${MODES.join(', ')}`);
  const size = Number(get('max-comment-size') || '60000');
  if (!Number.isInteger(size) || size < 1000 || size > 65_536)
    throw new InputError(`input max-comment-size: ${get('max-comment-size')} is not a whole number from 1000 to 65536`);
  const environments = [
    ...new Set(
      get('environments')
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ].sort();
  const badEnv = environments.find((e) => !ENV_NAME.test(e));
  if (badEnv !== undefined)
    throw new InputError(
      `input environments: "${badEnv}" is not an environment name (an RFC 1123 label, as spec.environments[].name); separate names with spaces or commas`,
    );
  return {
    paths: (get('path') || '.').split(/\s+/).filter(Boolean),
    token: get('github-token'),
    kubeconfig: get('kubeconfig'),
    context: get('context'),
    environments,
    mode,
    comment: bool('comment', get('comment') || 'true'),
    failOnChanges: bool('fail-on-changes', get('fail-on-changes') || 'false'),
    maxCommentSize: size,
  };
}
