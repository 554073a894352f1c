import type { ClusterClient } from '../../src/cluster/types.js';

const RECORDED = ['get', 'list', 'listVersioned', 'apply', 'watch'];

/**
 * The client, recording each call that sends a request (`get Kind`, `list Kind`, `apply Kind`,
 * `listVersioned Kind`, `watch Kind`) into `calls`. A watch is recorded when it starts.
 */
export function recordedClient(client: ClusterClient, calls: string[]): ClusterClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || !RECORDED.includes(String(prop))) return v;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${typeof args[0] === 'string' ? String(args[1]) : (args[0] as { kind: string }).kind}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
