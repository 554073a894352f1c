import { KubeConfig } from '@kubernetes/client-node';
import { Agent, request, type AgentOptions, type RequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { K8sObject } from '../k8s/types.js';
import { formatRef } from './format-ref.js';
import {
  ClusterError,
  refOf,
  type ApplyCallOptions,
  type ClusterClient,
  type ClusterErrorReason,
  type DeleteOptions,
  type ListOptions,
  type ObjectRef,
  type ResourceInfo,
} from './types.js';

export interface ConnectOptions {
  /** Path of a kubeconfig; default: KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Most requests in flight at once. */
  readonly concurrency?: number;
  /** Per-request timeout (default 30 s). */
  readonly requestTimeoutMs?: number;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

/**
 * A ClusterClient over plain HTTPS, authenticated from a kubeconfig by client-node. Responses
 * are plain JSON (no model classes), so what the server returns is what kubemin compares.
 */
export async function connect(opts: ConnectOptions = {}): Promise<ClusterClient> {
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
    if (opts.context) kc.setCurrentContext(opts.context);
  } catch (err) {
    throw new KubeconfigError(`cannot load kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(err as Error).message}`);
  }
  if (opts.context && kc.getCurrentContext() !== opts.context) throw new KubeconfigError(`no context "${opts.context}" in the kubeconfig`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeconfigError('the kubeconfig has no current cluster (set a context with --context)');
  const base: RequestOptions = {};
  await kc.applyToHTTPSOptions(base);
  return new HttpClusterClient(new URL(cluster.server), base, opts.concurrency ?? 16, opts.requestTimeoutMs ?? 30_000);
}

interface Response {
  status: number;
  body: unknown;
}

class HttpClusterClient implements ClusterClient {
  requests = 0;
  private readonly agent: Agent | HttpAgent;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();

  constructor(
    private readonly server: URL,
    private readonly base: RequestOptions,
    concurrency: number,
    private readonly timeoutMs: number,
  ) {
    const agentOpts = { keepAlive: true, maxSockets: concurrency };
    this.agent = server.protocol === 'http:' ? new HttpAgent(agentOpts) : new Agent({ ...agentOpts, ...pickTls(base) });
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
    if (!meta.resourceVersion) throw new ClusterError(ref, 'BadRequest', `${formatRef(ref)}: replace needs metadata.resourceVersion (the version it was read at)`);
    const res = await this.send('PUT', await this.path(ref), JSON.stringify(object), ref);
    if (res.status >= 300) throw toError(ref, res, 'Conflict');
    return res.body as K8sObject;
  }

  async list(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<K8sObject[]> {
    const info = await this.resourceFor(apiVersion, kind);
    if (!info) throw new ClusterError(undefined, 'UnknownKind', `the cluster does not serve ${kind} in ${apiVersion}`);
    const ns = info.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
    const query = new URLSearchParams();
    if (opts.labelSelector) query.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) query.set('fieldSelector', opts.fieldSelector);
    const q = query.size ? `?${query}` : '';
    const res = await this.send('GET', `${groupVersionPath(apiVersion)}${ns}/${info.plural}${q}`, undefined);
    if (res.status >= 300) throw toError(undefined, res);
    const items = (res.body as { items?: K8sObject[] }).items ?? [];
    return items.map((o) => ({ ...o, apiVersion, kind }));
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

  private send(method: string, path: string, body: string | undefined, ref?: ObjectRef, contentType = 'application/json'): Promise<Response> {
    this.requests++;
    const url = new URL(path, this.server);
    const send = this.server.protocol === 'http:' ? httpRequest : request;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          ...this.base,
          method,
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            ...(this.base.headers as Record<string, string> | undefined),
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
        reject(err instanceof ClusterError ? err : new ClusterError(ref, 'Unavailable', `cannot reach the API server at ${this.server.origin}: ${err.message}`, undefined, { cause: err })),
      );
      req.end(body);
    });
  }
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

function pickTls(o: RequestOptions): AgentOptions {
  const { ca, cert, key, rejectUnauthorized, servername } = o;
  return { ca, cert, key, rejectUnauthorized, servername };
}

const REASONS = new Set<ClusterErrorReason>(['NotFound', 'AlreadyExists', 'Conflict', 'Invalid', 'Forbidden', 'Unauthorized', 'BadRequest']);

/** The error of a failed response; `on409` is the reason of a 409 whose Status does not say (create: AlreadyExists, replace: Conflict). */
function toError(ref: ObjectRef | undefined, res: Response, on409?: ClusterErrorReason): ClusterError {
  const status = res.body as { reason?: string; message?: string } | undefined;
  const known = status?.reason && REASONS.has(status.reason as ClusterErrorReason) ? (status.reason as ClusterErrorReason) : undefined;
  const reason = known ?? (res.status === 409 && on409 ? on409 : 'Other');
  const namespaceGone = res.status === 404 && /namespaces "[^"]+" not found/.test(status?.message ?? '');
  return new ClusterError(ref, namespaceGone ? 'NamespaceNotFound' : reason, status?.message ?? `HTTP ${res.status}`, res.status);
}
