import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Who may read the web view: with a token file, requests bearing `Authorization: Bearer <token>`
 * (a proxy in front, a script); with a basic-auth file (`user:password`), a browser's HTTP basic
 * credentials. Either one lets a request in. Without both, the pages are open: keep the port on
 * the cluster network (README).
 */
export interface WebAuth {
  /** Whether the request's Authorization header lets it in. */
  allows(header: string | undefined): boolean;
  /** The WWW-Authenticate challenge of a 401. */
  readonly challenge: string;
}

export interface WebAuthFiles {
  readonly tokenFile?: string;
  readonly basicAuthFile?: string;
}

/** The first line of a credentials file, without its line ending (files end with a newline). */
function firstLine(file: string, flag: string): string {
  const line = readFileSync(file, 'utf8').split(/\r?\n/)[0]!.trim();
  if (!line) throw new Error(`${flag} ${file}: the file is empty`);
  return line;
}

/** Compared by their SHA-256, so that neither the length nor the content leaks through timing. */
function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Reads the credentials files once, at start (a mistake stops the daemon at once); undefined without any. */
export function readWebAuth(files: WebAuthFiles): WebAuth | undefined {
  const token = files.tokenFile === undefined ? undefined : firstLine(files.tokenFile, '--web-token-file');
  const basic = files.basicAuthFile === undefined ? undefined : firstLine(files.basicAuthFile, '--web-basic-auth-file');
  if (basic !== undefined && !/^[^:]+:.+$/.test(basic)) throw new Error(`--web-basic-auth-file ${files.basicAuthFile}: write one line user:password`);
  if (token === undefined && basic === undefined) return undefined;
  return {
    challenge: basic !== undefined ? 'Basic realm="kubemin", charset="UTF-8"' : 'Bearer realm="kubemin"',
    allows(header) {
      if (!header) return false;
      const [scheme = '', value = ''] = header.split(/\s+/, 2);
      if (token !== undefined && scheme.toLowerCase() === 'bearer') return same(value, token);
      if (basic !== undefined && scheme.toLowerCase() === 'basic') return same(Buffer.from(value, 'base64').toString('utf8'), basic);
      return false;
    },
  };
}
