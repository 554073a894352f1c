/**
 * A failure the user can fix: a path, a kubeconfig, a lock, a plugin config, the cluster's answer
 * about one object. Its message says what is wrong and how to fix it, in one line; the CLI prints
 * it as `kubemin: <message>` with exit 2, never with a stack trace. Every such error class extends
 * this one, so that the one top-level catch (src/cli/main.ts) knows them all.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}
