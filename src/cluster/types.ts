import type { K8sObject } from '../k8s/types.js';
import type { ObjectRef } from '../k8s/object-ref.js';
import { KubeminError } from '../errors/kubemin-error.js';

/** How the API server serves a kind. */
export interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Why a call about one object failed, in the API server's terms (Status.reason). */
export type ClusterErrorReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'BadRequest'
  | 'UnknownKind'
  | 'NamespaceNotFound'
  | 'Timeout'
  | 'Unavailable'
  | 'Other';

/** A failed call about one object: typed, with the object and the cause. */
export class ClusterError extends KubeminError {
  override readonly name = 'ClusterError';
  constructor(
    readonly ref: ObjectRef | undefined,
    readonly reason: ClusterErrorReason,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ApplyCallOptions {
  readonly fieldManager: string;
  readonly force: boolean;
  readonly dryRun: boolean;
}

export interface ListOptions {
  readonly namespace?: string;
  /** `key=value,key2=value2` */
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** Objects of a kind and the version of the cluster's state they were read at (for a watch to start from). */
export interface VersionedList {
  readonly items: K8sObject[];
  readonly resourceVersion: string;
}

export interface WatchOptions extends ListOptions {
  /** Changes after this version: a list's, or the last event's. */
  readonly resourceVersion: string;
  /** Ends the watch: the call then resolves. */
  readonly signal?: AbortSignal;
  /** The server ends the watch after this long (default 300 s); the caller watches again from where it was. */
  readonly timeoutSeconds?: number;
}

/** A change seen by a watch. A BOOKMARK only moves the version on (no object changed). */
export type WatchEvent =
  { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: K8sObject } | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

/**
 * Why a watch stopped before its signal: `Gone`, the version is too old (410: list again);
 * `Dropped`, the connection broke mid-stream (watch again from `resourceVersion`, the last seen);
 * `Failed`, an ERROR event of another kind (`status`).
 */
export class WatchError extends Error {
  override readonly name = 'WatchError';
  constructor(
    readonly reason: 'Gone' | 'Dropped' | 'Failed',
    message: string,
    readonly resourceVersion: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DeleteOptions {
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  readonly uid?: string;
}

/** What GET /version answers (k8s.io/apimachinery's version.Info). */
export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly platform?: string;
  readonly [field: string]: string | undefined;
}

/**
 * The narrow interface the rest of kubemin uses to talk to a cluster. One method, one request
 * (discovery is cached per group-version), so request counts are predictable.
 */
export interface ClusterClient {
  /** How the server serves a kind, or undefined when it does not (unknown group, version or kind). */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** The live object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<K8sObject | undefined>;
  /** Server-side apply; with `dryRun` nothing is persisted. */
  apply(object: K8sObject, opts: ApplyCallOptions): Promise<K8sObject>;
  /**
   * Creates an object (POST to its collection) and returns it as stored. ClusterError
   * `AlreadyExists` when an object of that name exists (someone else created it first).
   */
  create(object: K8sObject): Promise<K8sObject>;
  /**
   * Replaces an object (PUT) on condition that it is still at `metadata.resourceVersion`, which
   * is required: ClusterError `Conflict` when it changed since that version was read (or was
   * deleted: a read object carries its uid, a precondition too), `NotFound` when there is none
   * and it carries no uid. Returns the object as stored.
   */
  replace(object: K8sObject): Promise<K8sObject>;
  /** Objects of a kind (items carry apiVersion and kind), in one namespace or, without, in all. */
  list(apiVersion: string, kind: string, opts?: ListOptions): Promise<K8sObject[]>;
  /** As list, with the version the objects were read at (for watch). */
  listVersioned(apiVersion: string, kind: string, opts?: ListOptions): Promise<VersionedList>;
  /**
   * One streaming request: `onEvent` for each change after `opts.resourceVersion`, until the
   * server ends the watch (resolves with the last version seen) or the signal aborts (resolves).
   * Rejects with WatchError (Gone, Dropped, Failed) once the stream has started, ClusterError
   * when the server refuses it (e.g. `Forbidden`: the credentials may list but not watch).
   */
  watch(apiVersion: string, kind: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<string>;
  /**
   * Deletes an object; false when it was already gone. With `uid`, only that incarnation of it
   * (a precondition: an object recreated since under the same name is left alone).
   */
  delete(ref: ObjectRef, opts?: DeleteOptions): Promise<boolean>;
  /** The API server's build (GET /version), as `kubectl version` shows it; only the HTTP client has it. */
  serverVersion?(): Promise<ServerVersion>;
  /** Forgets what discovery learnt (after CustomResourceDefinitions were created or changed). */
  forgetDiscovery(): void;
  /** Requests sent so far (for benchmarks and tests of request counts). */
  readonly requests: number;
  close(): void;
}
