import type { ClusterClient } from '../../src/cluster/types.js';

/** The client, recording each call that sends a request (`get Kind`, `list Kind`, `apply Kind`) into `calls`. */
export function recordedClient(client: ClusterClient, calls: string[]): ClusterClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || !['get', 'list', 'apply'].includes(String(prop))) return v;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${prop === 'list' ? String(args[1]) : (args[0] as { kind: string }).kind}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
