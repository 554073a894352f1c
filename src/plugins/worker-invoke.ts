import { types } from 'node:util';
import { describeThrown, nonData } from './foreign-values.js';
import type { CallOutcome } from './wire.js';

/** What process.exit and its kin throw in a plugin worker. */
export class ExitAttempt extends Error {
  override readonly name = 'ExitAttempt';
}

/** A throw of a plugin as an outcome: an exit attempt says so, anything else says what was thrown. */
export function thrownOutcome(err: unknown): CallOutcome {
  if (isExitAttempt(err)) return { ok: false, kind: 'exit', message: err.message };
  return { ok: false, kind: 'threw', message: `it threw: ${describeThrown(err)}` };
}

/** instanceof, safe with a Proxy whose traps throw. */
export function isExitAttempt(err: unknown): err is ExitAttempt {
  try {
    return !types.isProxy(err) && err instanceof ExitAttempt;
  } catch {
    return false;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    if (types.isProxy(value)) return false;
    return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/** Calls a plugin's function synchronously: a throw, a promise or a value that is not data become the outcome, never an exception. */
export function invokeSync(call: () => unknown): CallOutcome {
  let out: unknown;
  try {
    out = call();
  } catch (err) {
    return thrownOutcome(err);
  }
  if (isThenable(out)) {
    // Nothing waits for it; its rejection must not end the worker.
    Promise.resolve(out).catch(() => undefined);
    return { ok: false, kind: 'promise', message: 'it returned a promise: these functions must be synchronous and pure' };
  }
  return { ok: true, value: out };
}

/** The outcome to send when a value could not be posted (structured clone refused it). */
export function notDataOutcome(value: unknown, err: unknown): CallOutcome {
  const where = nonData(value) ?? describeThrown(err);
  return { ok: false, kind: 'not-data', message: `it returned something that is not data: ${where}` };
}
