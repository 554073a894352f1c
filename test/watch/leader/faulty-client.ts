import { ClusterError, type ClusterClient, type ClusterErrorReason } from '../../../src/cluster/types.js';
import { type ObjectRef } from '../../../src/k8s/object-ref.js';

/**
 * A real ClusterClient (the test cluster's) that hangs or fails on demand, for what a network
 * partition or an unwell API server does to a caller:
 *
 *   const a = faultyClient(await connect({ kubeconfig }));
 *   a.failNext('get', 500);          // the next GET fails with a 500, without reaching the server
 *   const held = a.hangNext('replace'); // the next replace waits, unsent...
 *   await held.reached;               // ...until it is called,
 *   held.release();                   // then goes to the server (a stale write: a real 409)
 *   a.loseNextAnswer('replace');      // the next replace is done, but its caller never hears
 *   a.hangAll();                      // every call hangs until heal(), which fails them (timed out)
 *
 * Every other call goes to the API server as is. `log` says what became of each call (`get ok`, `get missing`,
 * `replace Conflict`, `create injected 500`, `replace hung`), so a test can check that the
 * situation it set up did happen.
 */
export interface FaultyClient extends ClusterClient {
  /** The next `times` calls of `method` fail with a ClusterError of this HTTP status, unsent. */
  failNext(method: Method, status: number, times?: number): FaultyClient;
  /** The next call of `method` waits, unsent, until released (then it is sent) or heal() (then it fails). */
  hangNext(method: Method): HeldCall;
  /** The next call of `method` is sent, but its answer never comes back: it hangs until heal() (then fails). */
  loseNextAnswer(method: Method): FaultyClient;
  /** Every call from now on fails with this HTTP status, unsent, until heal(). */
  failAll(status: number): FaultyClient;
  /** Every call from now on hangs, unsent, until heal(). */
  hangAll(): FaultyClient;
  /** Ends failAll() and hangAll(); the calls still hanging fail as timed out (what a partition's requests come to). */
  heal(): FaultyClient;
  /** What became of each call, in the order they ended (hung calls when they were held). */
  readonly log: readonly string[];
  /** Calls in flight to the API server now (held calls do not count). */
  readonly inFlight: number;
  /** Resolves when no call is in flight to the API server. */
  idle(): Promise<void>;
}

type Method = 'get' | 'create' | 'replace' | 'apply' | 'list' | 'listVersioned' | 'watch' | 'delete' | 'resourceFor';

export interface HeldCall {
  /** Resolves when the call is made (and held). */
  readonly reached: Promise<void>;
  /** Sends the held call to the API server (or lets the next call through unheld, if it has not come yet). */
  release(): void;
}

const METHODS: ReadonlySet<string> = new Set<Method>(['get', 'create', 'replace', 'apply', 'list', 'listVersioned', 'watch', 'delete', 'resourceFor']);

/** The reason the real client gives a response of this status without a Status reason (src/cluster/http-client.ts). */
const REASON_OF: Readonly<Record<number, ClusterErrorReason>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'Unavailable',
  503: 'Unavailable',
  504: 'Timeout',
};

interface Hold {
  readonly method: Method;
  reached: () => void;
  /** Set when the call comes: sends it, or fails it. */
  go?: (send: boolean) => void;
  released: boolean;
}

export function faultyClient(real: ClusterClient): FaultyClient {
  const log: string[] = [];
  const failures: Array<{ method: Method; status: number }> = [];
  const holds: Hold[] = [];
  const lost: Method[] = [];
  const hanging = new Set<Hold>();
  const inflight = new Set<Promise<unknown>>();
  let all: { kind: 'fail'; status: number } | { kind: 'hang' } | undefined;

  const injected = (method: Method, ref: ObjectRef | undefined, status: number): ClusterError => {
    log.push(`${method} injected ${status}`);
    return new ClusterError(ref, REASON_OF[status] ?? 'Other', `HTTP ${status} (injected by the test)`, status);
  };

  const send = (method: Method, args: unknown[]): Promise<unknown> => {
    const fn = (real as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!;
    const call = fn.apply(real, args).then(
      (value) => {
        log.push(`${method} ${method === 'get' && value === undefined ? 'missing' : 'ok'}`);
        return value;
      },
      (err: unknown) => {
        log.push(`${method} ${err instanceof ClusterError ? err.reason : 'error'}`);
        throw err;
      },
    );
    const tracked = call.catch(() => undefined);
    inflight.add(tracked);
    void tracked.finally(() => inflight.delete(tracked));
    return call;
  };

  const hold = (h: Hold, method: Method, ref: ObjectRef | undefined, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      log.push(`${method} hung`);
      hanging.add(h);
      h.go = (go) => {
        hanging.delete(h);
        if (go) send(method, args).then(resolve, reject);
        else {
          log.push(`${method} Timeout`);
          reject(new ClusterError(ref, 'Timeout', `${method}: no answer from the API server (hung by the test)`, 504));
        }
      };
      h.reached();
      if (h.released) h.go(true);
    });

  const loseAnswer = (method: Method, ref: ObjectRef | undefined, args: unknown[]): Promise<unknown> =>
    new Promise((_resolve, reject) => {
      void send(method, args)
        .catch(() => undefined)
        .then(() => log.push(`${method} answer lost`));
      const h: Hold = { method, reached: () => undefined, released: false };
      hanging.add(h);
      h.go = () => {
        hanging.delete(h);
        log.push(`${method} Timeout`);
        reject(new ClusterError(ref, 'Timeout', `${method}: no answer from the API server (lost by the test)`, 504));
      };
    });

  const wrap =
    (method: Method) =>
    (...args: unknown[]): Promise<unknown> => {
      const ref = refArg(args[0]);
      if (all?.kind === 'fail') return Promise.reject(injected(method, ref, all.status));
      if (all?.kind === 'hang') return hold({ method, reached: () => undefined, released: false }, method, ref, args);
      const f = failures.findIndex((x) => x.method === method);
      if (f >= 0) return Promise.reject(injected(method, ref, failures.splice(f, 1)[0]!.status));
      const l = lost.indexOf(method);
      if (l >= 0) return (lost.splice(l, 1), loseAnswer(method, ref, args));
      const h = holds.findIndex((x) => x.method === method);
      if (h >= 0) return hold(holds.splice(h, 1)[0]!, method, ref, args);
      return send(method, args);
    };

  const faulty: FaultyClient = new Proxy(real as FaultyClient, {
    get(target, prop, receiver) {
      switch (prop) {
        case 'failNext':
          return (method: Method, status: number, times = 1) => {
            for (let i = 0; i < times; i++) failures.push({ method, status });
            return faulty;
          };
        case 'hangNext':
          return (method: Method): HeldCall => {
            let reached = (): void => undefined;
            const h: Hold = { method, reached: () => reached(), released: false };
            const promise = new Promise<void>((r) => (reached = r));
            holds.push(h);
            return {
              reached: promise,
              release: () => {
                h.released = true;
                h.go?.(true);
              },
            };
          };
        case 'loseNextAnswer':
          return (method: Method) => {
            lost.push(method);
            return faulty;
          };
        case 'failAll':
          return (status: number) => {
            all = { kind: 'fail', status };
            return faulty;
          };
        case 'hangAll':
          return () => {
            all = { kind: 'hang' };
            return faulty;
          };
        case 'heal':
          return () => {
            all = undefined;
            for (const h of [...hanging]) if (!h.released) h.go?.(false);
            return faulty;
          };
        case 'log':
          return log;
        case 'inFlight':
          return inflight.size;
        case 'idle':
          return async () => {
            while (inflight.size > 0) await Promise.all([...inflight]);
          };
        default:
          if (typeof prop === 'string' && METHODS.has(prop)) return wrap(prop as Method);
          return bound(Reflect.get(target, prop, receiver), target);
      }
    },
  });
  return faulty;
}

/** The real client's own methods run on it, not on the proxy. */
function bound(value: unknown, target: object): unknown {
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
}

function refArg(arg: unknown): ObjectRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { apiVersion?: string; kind?: string; namespace?: string; name?: string; metadata?: { name?: string; namespace?: string } };
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return undefined;
  const name = o.metadata?.name ?? o.name;
  const namespace = o.metadata?.namespace ?? o.namespace;
  return name === undefined ? undefined : { apiVersion: o.apiVersion, kind: o.kind, name, ...(namespace !== undefined ? { namespace } : {}) };
}
