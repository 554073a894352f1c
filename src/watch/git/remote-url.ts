import { resolve } from 'node:path';

/** How git reaches a remote: decides which credentials apply. */
type RemoteTransport = 'http' | 'ssh' | 'local' | 'other';

/** A remote URL split into what may be stored and shown, and the credential it carried. */
export interface RemoteUrl {
  /** The URL without userinfo: what the clone's config stores and messages show. */
  readonly url: string;
  readonly transport: RemoteTransport;
  /** The token of `https://user:token@host/...` (or of `https://token@host/...`), decoded. */
  readonly token?: string;
  /** The userinfo as written, and its parts, to redact wherever they might show up. */
  readonly secrets: readonly string[];
}

const HTTP = /^(https?:\/\/)([^/?#]*)(.*)$/i;
/** `[user@]host:path` with no slash before the colon, as git reads it. */
const SCP_LIKE = /^[^/:]+:/;

/**
 * Parses a remote as given by the user. An http(s) URL loses its userinfo, which becomes the token
 * (the password, or the user when there is no password). A local path is made absolute against `cwd`.
 */
export function parseRemoteUrl(url: string, cwd: string = process.cwd()): RemoteUrl {
  const http = HTTP.exec(url);
  if (http) {
    const [, scheme = '', authority = '', rest = ''] = http;
    const at = authority.lastIndexOf('@');
    if (at < 0) return { url, transport: 'http', secrets: [] };
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const raw = colon < 0 ? userinfo : userinfo.slice(colon + 1);
    const token = decode(raw);
    return {
      url: `${scheme}${authority.slice(at + 1)}${rest}`,
      transport: 'http',
      ...(token ? { token } : {}),
      secrets: [userinfo, raw, token],
    };
  }
  if (/^ssh:\/\//i.test(url) || /^git\+ssh:\/\//i.test(url)) return { url, transport: 'ssh', secrets: [] };
  if (/^file:\/\//i.test(url)) return { url, transport: 'local', secrets: [] };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { url, transport: 'other', secrets: [] };
  if (SCP_LIKE.test(url)) return { url, transport: 'ssh', secrets: [] };
  return { url: resolve(cwd, url), transport: 'local', secrets: [] };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
