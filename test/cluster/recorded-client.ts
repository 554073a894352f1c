import type { ClusterClient, ListOptions } from '../../src/cluster/types.js';

const RECORDED = ['get', 'list', 'listVersioned', 'apply', 'watch'];

/**
 * The client, recording each call that sends a request (`get Kind`, `list Kind`, `apply Kind`,
 * `listVersioned Kind`, `watch Kind`) into `calls`. A watch is recorded when it starts. With
 * `where`, a LIST is recorded with where it reads: `list Kind in <namespace>` or `list Kind across
 * namespaces`.
 */
export function recordedClient(client: ClusterClient, calls: string[], opts: { readonly where?: boolean } = {}): ClusterClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || !RECORDED.includes(String(prop))) return v;
      return (...args: unknown[]) => {
        if (opts.where && prop === 'list') {
          const namespace = ((args[2] ?? {}) as ListOptions).namespace;
          calls.push(`list ${String(args[1])} ${namespace ? `in ${namespace}` : 'across namespaces'}`);
        } else calls.push(`${String(prop)} ${typeof args[0] === 'string' ? String(args[1]) : (args[0] as { kind: string }).kind}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
