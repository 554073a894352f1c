import { parseDuration } from '../k8s/formats/duration.js';
import { PluginLoadError } from './extension-error.js';

/** How far a plugin's code may go: per call (and per module import), and the heap of its worker. */
export interface PluginLimits {
  /** A call (or the import of a config's plugins) that takes longer is stopped: a plugin-failed diagnostic. */
  readonly timeoutMs: number;
  /** The worker's JS heap (V8 old generation), in MB. */
  readonly memoryMb: number;
}

const DEFAULT_PLUGIN_LIMITS: PluginLimits = { timeoutMs: 10_000, memoryMb: 512 };

/** The environment variables that set the limits (README, "Plugins"). */
export const LIMIT_VARIABLES = { timeoutMs: 'KUBEMIN_PLUGIN_TIMEOUT', memoryMb: 'KUBEMIN_PLUGIN_MEMORY' } as const;

/** The limits, from `KUBEMIN_PLUGIN_TIMEOUT` (a duration: 10s, 500ms) and `KUBEMIN_PLUGIN_MEMORY` (MB); a bad value is a PluginLoadError. */
export function pluginLimits(env: NodeJS.ProcessEnv = process.env): PluginLimits {
  const timeout = env[LIMIT_VARIABLES.timeoutMs];
  const memory = env[LIMIT_VARIABLES.memoryMb];
  const timeoutMs = timeout ? parseDuration(timeout) : DEFAULT_PLUGIN_LIMITS.timeoutMs;
  if (!timeoutMs) throw new PluginLoadError(`${LIMIT_VARIABLES.timeoutMs}=${timeout}: not a duration; write it as e.g. 10s or 500ms`);
  const memoryMb = memory ? Number(memory) : DEFAULT_PLUGIN_LIMITS.memoryMb;
  if (!Number.isInteger(memoryMb) || memoryMb < 16)
    throw new PluginLoadError(`${LIMIT_VARIABLES.memoryMb}=${memory}: not a whole number of MB (16 or more), e.g. 512`);
  return { timeoutMs, memoryMb };
}

/** `5 s`, `500 ms`: how a limit reads in a message. */
export function showMs(ms: number): string {
  return ms % 1000 === 0 || ms > 10_000 ? `${Math.round(ms / 1000)} s` : ms > 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
