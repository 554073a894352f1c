import { readFileSync } from 'node:fs';
import { Agent, request, type AgentOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { K8sObject } from '../k8s/types.js';
import { credentialSource, type Credential, type CredentialSource } from './auth/index.js';
import { formatRef } from '../k8s/object-ref.js';
import { KubeconfigError, loadKubeconfig, type KubeconfigOptions, type LoadedKubeconfig } from './kubeconfig.js';
import {
  ClusterError,
  type ApplyCallOptions,
  type ClusterClient,
  type ClusterErrorReason,
  type DeleteOptions,
  type ListOptions,
  type ResourceInfo,
  type ServerVersion,
  type VersionedList,
  type WatchEvent,
  type WatchOptions,
} from './types.js';
import { refOf, type ObjectRef } from '../k8s/object-ref.js';
import { H2Watches, streamWatch } from './watch-stream.js';

export { KubeconfigError } from './kubeconfig.js';

export interface ConnectOptions extends KubeconfigOptions {
  /** Most requests in flight at once. */
  readonly concurrency?: number;
  /** Per-request timeout (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/**
 * A ClusterClient over plain HTTPS for the kubeconfig's current context. Responses are plain
 * JSON (no model classes), so what the server returns is what kubemin compares.
 */
export async function connect(opts: ConnectOptions = {}): Promise<ClusterClient> {
  return connectTo(loadKubeconfig(opts), opts);
}

/** As connect(), for a kubeconfig already loaded (the watch daemon also wants its namespace). */
export async function connectTo(kube: LoadedKubeconfig, opts: Omit<ConnectOptions, keyof KubeconfigOptions> = {}): Promise<ClusterClient> {
  const cluster = kube.kc.getCurrentCluster()!;
  let ca: Buffer | undefined;
  try {
    ca = cluster.caData ? Buffer.from(cluster.caData, 'base64') : cluster.caFile ? readFileSync(cluster.caFile) : undefined;
  } catch (err) {
    throw new KubeconfigError(
      `cluster "${cluster.name}" in the kubeconfig: cannot read its certificate authority ${cluster.caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  let credentials: CredentialSource;
  try {
    credentials = await credentialSource(kube);
  } catch (err) {
    throw new KubeconfigError(`user "${kube.user.name}" in the kubeconfig: ${(err as Error).message}`, { cause: err });
  }
  const tls: AgentOptions = {
    ...(ca ? { ca } : {}),
    ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };
  const who = kube.inCluster ? `the pod's service account (${kube.tokenFile})` : `user "${kube.user.name}" (context "${kube.context}")`;
  return new HttpClusterClient({ server: kube.server, tls, credentials, who, concurrency: opts.concurrency ?? 16, timeoutMs: opts.requestTimeoutMs ?? 30_000 });
}

interface Response {
  status: number;
  body: unknown;
}

interface ClientOptions {
  readonly server: URL;
  /** The cluster's TLS settings (CA, server name); the client certificate is the credential's. */
  readonly tls: AgentOptions;
  readonly credentials: CredentialSource;
  /** Who the credentials are, for errors: `user "u" (context "c")`. */
  readonly who: string;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

class HttpClusterClient implements ClusterClient {
  requests = 0;
  private agent: Agent | HttpAgent;
  /** The client certificate the agent's connections use ('' for none). */
  private agentTlsId = '';
  private watchAgent: Agent | HttpAgent | undefined;
  /** Watches as streams of one HTTP/2 connection (https only); undefined when the server does not speak it. */
  private h2: H2Watches | undefined;
  private watchTlsId = '';
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  private readonly server: URL;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ClientOptions) {
    this.server = opts.server;
    this.timeoutMs = opts.timeoutMs;
    this.agent = this.newAgent(undefined);
    this.h2 = opts.server.protocol === 'https:' ? new H2Watches(opts.server, opts.tls) : undefined;
  }

  async serverVersion(): Promise<ServerVersion> {
    const res = await this.send('GET', '/version', undefined);
    if (res.status >= 300) throw toError(undefined, res);
    return res.body as ServerVersion;
  }

  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let gv = this.discovery.get(apiVersion);
    if (!gv) {
      gv = this.send('GET', groupVersionPath(apiVersion), undefined).then((res) => {
        if (res.status === 404) return undefined;
        if (res.status >= 300) throw toError(undefined, res);
        const list = res.body as { resources: Array<{ name: string; kind: string; namespaced: boolean }> };
        return new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]));
      });
      this.discovery.set(apiVersion, gv);
      gv.catch(() => this.discovery.delete(apiVersion));
    }
    return gv.then((m) => m?.get(kind));
  }

  async get(ref: ObjectRef): Promise<K8sObject | undefined> {
    const res = await this.send('GET', await this.path(ref), undefined, ref);
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw toError(ref, res);
    return res.body as K8sObject;
  }

  async apply(object: K8sObject, opts: ApplyCallOptions): Promise<K8sObject> {
    const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
    const query = new URLSearchParams({ fieldManager: opts.fieldManager });
    if (opts.force) query.set('force', 'true');
    if (opts.dryRun) query.set('dryRun', 'All');
    const res = await this.send('PATCH', `${await this.path(ref)}?${query}`, JSON.stringify(object), ref, 'application/apply-patch+yaml');
    if (res.status >= 300) throw toError(ref, res);
    return res.body as K8sObject;
  }

  async create(object: K8sObject): Promise<K8sObject> {
    const ref = refOf(object);
    const res = await this.send('POST', await this.collectionPath(ref), JSON.stringify(object), ref);
    if (res.status >= 300) throw toError(ref, res, 'AlreadyExists');
    return res.body as K8sObject;
  }

  async replace(object: K8sObject): Promise<K8sObject> {
    const ref = refOf(object);
    const meta = object.metadata as K8sObject['metadata'] & { resourceVersion?: string };
    if (!meta.resourceVersion)
      throw new ClusterError(ref, 'BadRequest', `${formatRef(ref)}: replace needs metadata.resourceVersion (the version it was read at)`);
    const res = await this.send('PUT', await this.path(ref), JSON.stringify(object), ref);
    if (res.status >= 300) throw toError(ref, res, 'Conflict');
    return res.body as K8sObject;
  }

  async list(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<K8sObject[]> {
    return (await this.listVersioned(apiVersion, kind, opts)).items;
  }

  async listVersioned(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<VersionedList> {
    const res = await this.send('GET', await this.collectionQuery(apiVersion, kind, opts, new URLSearchParams()), undefined);
    if (res.status >= 300) throw toError(undefined, res);
    const body = res.body as { items?: K8sObject[]; metadata?: { resourceVersion?: string } };
    return { items: (body.items ?? []).map((o) => typed(o, apiVersion, kind)), resourceVersion: body.metadata?.resourceVersion ?? '' };
  }

  async watch(apiVersion: string, kind: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<string> {
    const query = new URLSearchParams({
      watch: '1',
      allowWatchBookmarks: 'true',
      resourceVersion: opts.resourceVersion,
      timeoutSeconds: String(opts.timeoutSeconds ?? 300),
    });
    const path = await this.collectionQuery(apiVersion, kind, opts, query);
    const url = new URL(path, this.server);
    const { credentials } = this.opts;
    const open = async (credential: Credential): Promise<string | Response> => {
      this.requests++;
      const call = {
        url,
        headers: credential.headers,
        // No event for a while is normal; the server ends the watch after timeoutSeconds itself.
        idleTimeoutMs: ((opts.timeoutSeconds ?? 300) + 30) * 1000,
        resourceVersion: opts.resourceVersion,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onEvent: (e: WatchEvent) => onEvent(e.type === 'BOOKMARK' ? e : { type: e.type, object: typed(e.object, apiVersion, kind) }),
        unreachable: (err: Error) =>
          new ClusterError(undefined, 'Unavailable', `cannot reach the API server at ${this.server.origin}: ${err.message}`, undefined, { cause: err }),
      };
      if (this.h2) {
        try {
          return await this.h2.watch(call, credential);
        } catch (err) {
          // A server (or a proxy before it) that does not speak HTTP/2: watches over HTTP/1.1 from now on.
          if (!(err instanceof ClusterError && /^ERR_HTTP2/.test(String((err.cause as NodeJS.ErrnoException | undefined)?.code)))) throw err;
          this.h2.close();
          this.h2 = undefined;
        }
      }
      const tls =
        this.server.protocol === 'http:'
          ? {}
          : { ...this.opts.tls, ...(credential.cert && credential.key ? { cert: credential.cert, key: credential.key } : {}) };
      return streamWatch({ ...call, agent: this.watchAgentFor(credential), tls });
    };
    const used = await this.credential(() => credentials.current(), undefined);
    let res = await open(used);
    if (typeof res !== 'string' && res.status === 401) {
      const fresh = await this.credential(() => credentials.renew(used), undefined);
      if (!fresh) throw this.unauthorized(undefined, res, credentials.advice);
      res = await open(fresh);
      if (typeof res !== 'string' && res.status === 401) throw this.unauthorized(undefined, res, 'a fresh credential was refused too');
    }
    if (typeof res !== 'string') throw toError(undefined, res);
    return res;
  }

  /** The collection of a kind (in a namespace, when given and the kind is namespaced), with the selectors and `query`. */
  private async collectionQuery(apiVersion: string, kind: string, opts: ListOptions, query: URLSearchParams): Promise<string> {
    const info = await this.resourceFor(apiVersion, kind);
    if (!info) throw new ClusterError(undefined, 'UnknownKind', `the cluster does not serve ${kind} in ${apiVersion}`);
    const ns = info.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
    if (opts.labelSelector) query.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) query.set('fieldSelector', opts.fieldSelector);
    const q = query.size ? `?${query}` : '';
    return `${groupVersionPath(apiVersion)}${ns}/${info.plural}${q}`;
  }

  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<boolean> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: opts.propagationPolicy ?? 'Background',
      ...(opts.uid ? { preconditions: { uid: opts.uid } } : {}),
    };
    const res = await this.send('DELETE', await this.path(ref), JSON.stringify(body), ref);
    if (res.status === 404) return false;
    if (res.status >= 300) throw toError(ref, res);
    return true;
  }

  forgetDiscovery(): void {
    this.discovery.clear();
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent?.destroy();
    this.h2?.close();
  }

  /**
   * Watches hold a connection each for as long as they last: they get an agent of their own,
   * without the bound on sockets, so that they never keep requests from the client's connections.
   */
  private watchAgentFor(credential: Credential): Agent | HttpAgent {
    if (!this.watchAgent || credential.tlsId !== this.watchTlsId) {
      const old = this.watchAgent;
      // Watches on the old connections end when their caller stops them, or when the server does.
      if (old) setTimeout(() => old.destroy(), 360_000).unref();
      const agentOpts = { keepAlive: true };
      this.watchAgent =
        this.server.protocol === 'http:'
          ? new HttpAgent(agentOpts)
          : new Agent({ ...agentOpts, ...this.opts.tls, ...(credential.cert && credential.key ? { cert: credential.cert, key: credential.key } : {}) });
      this.watchTlsId = credential.tlsId;
    }
    return this.watchAgent;
  }

  private newAgent(credential: Credential | undefined): Agent | HttpAgent {
    const agentOpts = { keepAlive: true, maxSockets: this.opts.concurrency };
    if (this.server.protocol === 'http:') return new HttpAgent(agentOpts);
    return new Agent({ ...agentOpts, ...this.opts.tls, ...(credential?.cert && credential.key ? { cert: credential.cert, key: credential.key } : {}) });
  }

  /** The agent for the credential's client certificate: a new one when the certificate changed. */
  private agentFor(credential: Credential): Agent | HttpAgent {
    if (credential.tlsId !== this.agentTlsId) {
      const old = this.agent;
      // Requests still on the old connections end within the timeout.
      setTimeout(() => old.destroy(), this.timeoutMs + 1000).unref();
      this.agent = this.newAgent(credential);
      this.agentTlsId = credential.tlsId;
    }
    return this.agent;
  }

  private async path(ref: ObjectRef): Promise<string> {
    return `${await this.collectionPath(ref)}/${encodeURIComponent(ref.name)}`;
  }

  /** Where objects of the ref's kind (in its namespace) are listed and created. */
  private async collectionPath(ref: ObjectRef): Promise<string> {
    const info = await this.resourceFor(ref.apiVersion, ref.kind);
    if (!info) throw new ClusterError(ref, 'UnknownKind', `the cluster does not serve ${ref.kind} in ${ref.apiVersion}`);
    const ns = info.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
    return `${groupVersionPath(ref.apiVersion)}${ns}/${info.plural}`;
  }

  /**
   * One request, authenticated with the current credential. A 401 renews the credential (the
   * exec plugin run again, the token file read again) and, when that gives another one, sends the
   * request once more (counted: two requests); a 401 after that, or without another credential,
   * is a ClusterError `Unauthorized` saying whose credentials were refused and what to check.
   */
  private async send(method: string, path: string, body: string | undefined, ref?: ObjectRef, contentType = 'application/json'): Promise<Response> {
    const { credentials } = this.opts;
    const used = await this.credential(() => credentials.current(), ref);
    const res = await this.once(method, path, body, used, ref, contentType);
    if (res.status !== 401) return res;
    const fresh = await this.credential(() => credentials.renew(used), ref);
    if (!fresh) throw this.unauthorized(ref, res, credentials.advice);
    const again = await this.once(method, path, body, fresh, ref, contentType);
    if (again.status !== 401) return again;
    throw this.unauthorized(ref, again, 'a fresh credential was refused too');
  }

  private async credential<T>(get: () => Promise<T>, ref: ObjectRef | undefined): Promise<T> {
    try {
      return await get();
    } catch (err) {
      throw new ClusterError(ref, 'Unauthorized', `cannot get credentials for ${this.opts.who}: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  private unauthorized(ref: ObjectRef | undefined, res: Response, why: string): ClusterError {
    const said = (res.body as { message?: string } | undefined)?.message ?? 'Unauthorized';
    return new ClusterError(
      ref,
      'Unauthorized',
      `the API server at ${this.server.origin} refused the credentials of ${this.opts.who} (401 ${said}): ${why}`,
      401,
    );
  }

  private once(
    method: string,
    path: string,
    body: string | undefined,
    credential: Credential,
    ref?: ObjectRef,
    contentType = 'application/json',
  ): Promise<Response> {
    this.requests++;
    const url = new URL(path, this.server);
    const send = this.server.protocol === 'http:' ? httpRequest : request;
    const tls =
      this.server.protocol === 'http:'
        ? {}
        : { ...this.opts.tls, ...(credential.cert && credential.key ? { cert: credential.cert, key: credential.key } : {}) };
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          ...tls,
          method,
          agent: this.agentFor(credential),
          timeout: this.timeoutMs,
          headers: {
            ...credential.headers,
            Accept: 'application/json',
            // An explicit length: a DELETE with a chunked body confuses the next request on the same connection.
            ...(body !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text for the error
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new ClusterError(ref, 'Timeout', `${method} ${url.pathname} timed out after ${this.timeoutMs} ms`)));
      req.on('error', (err) =>
        reject(
          err instanceof ClusterError
            ? err
            : new ClusterError(ref, 'Unavailable', `cannot reach the API server at ${this.server.origin}: ${err.message}`, undefined, { cause: err }),
        ),
      );
      req.end(body);
    });
  }
}

/**
 * Keys in the order a GET of the object has them (diffs print keys in order): built-in kinds'
 * list items lack kind and apiVersion, which their GET puts first; custom resources' have them.
 */
function typed(o: K8sObject, apiVersion: string, kind: string): K8sObject {
  return (o as Partial<K8sObject>).kind !== undefined ? { ...o, apiVersion, kind } : ({ kind, apiVersion, ...(o as object) } as K8sObject);
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

const REASONS = new Set<ClusterErrorReason>(['NotFound', 'AlreadyExists', 'Conflict', 'Invalid', 'Forbidden', 'Unauthorized', 'BadRequest']);

/** The error of a failed response; `on409` is the reason of a 409 whose Status does not say (create: AlreadyExists, replace: Conflict). */
function toError(ref: ObjectRef | undefined, res: Response, on409?: ClusterErrorReason): ClusterError {
  const status = res.body as { reason?: string; message?: string } | undefined;
  const known = status?.reason && REASONS.has(status.reason as ClusterErrorReason) ? (status.reason as ClusterErrorReason) : undefined;
  const reason = known ?? (res.status === 409 && on409 ? on409 : byStatus(res.status));
  const namespaceGone = res.status === 404 && /namespaces "[^"]+" not found/.test(status?.message ?? '');
  return new ClusterError(ref, namespaceGone ? 'NamespaceNotFound' : reason, status?.message ?? `HTTP ${res.status}`, res.status);
}

/**
 * What an HTTP status says when the Status does not: 503 (e.g. "apiserver is shutting down") and
 * 429 (too many requests) are the server unable to answer now, 504 a timeout: worth trying again.
 */
function byStatus(code: number): ClusterErrorReason {
  if (code === 503 || code === 429) return 'Unavailable';
  if (code === 504) return 'Timeout';
  return 'Other';
}
