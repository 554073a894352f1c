/**
 * The former name of KubeminError (src/errors/kubemin-error.ts), the base of every error a user can
 * fix: the same class, so that `extends UserError` and `instanceof UserError` mean the same thing.
 * New code imports KubeminError.
 */
export { KubeminError as UserError } from './errors/kubemin-error.js';
