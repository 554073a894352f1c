/**
 * What authenticates one request: headers (a bearer token, basic auth, impersonation) and,
 * when the user is a client certificate, its certificate and key.
 */
export interface Credential {
  readonly headers: Readonly<Record<string, string>>;
  /** PEM certificate and key of a client certificate (from the kubeconfig or an exec plugin). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** A digest of the certificate and key ('' without one): requests with the same one share connections. */
  readonly tlsId: string;
  /** A digest of the whole credential: tells a fresh credential from the one the server refused. Never printed. */
  readonly id: string;
}

/** Where the credentials of a kubeconfig user come from (one file each in this folder). */
type CredentialKind = 'exec' | 'token-file' | 'auth-provider' | 'token' | 'basic' | 'client-certificate' | 'none';

/**
 * The credentials of one kubeconfig user, looked up before every request: cached while they
 * are good (an exec plugin's until its expirationTimestamp, a token file for a minute), renewed
 * when the API server refuses them.
 */
export interface CredentialSource {
  readonly kind: CredentialKind;
  /** The credential for the next request. Throws (an Error saying why) when none can be had. */
  current(): Promise<Credential>;
  /**
   * The API server answered 401 to `refused`: a different credential, when one can be had (the
   * exec plugin run again, the token file or certificate files read again), else undefined.
   * Concurrent calls for the same refused credential share one renewal.
   */
  renew(refused: Credential): Promise<Credential | undefined>;
  /** What to check when the server refuses the credential and no other is to be had. */
  readonly advice: string;
}

/** The token part of a user's credentials (the certificate part is client-certificate.ts). */
export interface TokenPart {
  /** `Authorization` header value. */
  readonly authorization?: string;
  /** An exec plugin may give a client certificate instead of (or with) a token. */
  readonly cert?: string;
  readonly key?: string;
}

/** One way of getting the token part: cached, renewable. */
export interface TokenSource {
  readonly kind: CredentialKind;
  current(): Promise<TokenPart>;
  /** A different token than `refused` (compare by value), or undefined. */
  renew(refused: TokenPart): Promise<TokenPart | undefined>;
  readonly advice: string;
}
