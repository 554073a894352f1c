import { closest } from '../diagnostics/did-you-mean.js';
import { KubeminError } from '../errors/kubemin-error.js';

/** A promotion the user asked for that cannot be done as asked: nothing is written (exit 2). */
export class PromoteError extends KubeminError {
  override readonly name = 'PromoteError';
}

/** `no <what> "<name>"<where> (did you mean "x"? | known: a, b)`, for an unknown app, environment, component or field. */
export function unknownName(what: string, name: string, known: readonly string[], at: { readonly where?: string; readonly flag?: string } = {}): PromoteError {
  const guess = closest(name, known);
  const hint = guess ? `did you mean "${guess}"?` : known.length ? `known: ${known.join(', ')}` : `there is none`;
  return new PromoteError(`${at.flag ? `${at.flag}: ` : ''}no ${what} "${name}"${at.where ? ` ${at.where}` : ''} (${hint})`);
}
