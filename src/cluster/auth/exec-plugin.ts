import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

/** A kubeconfig user's `exec` section (client.authentication.k8s.io). */
export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[] | null;
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }> | null;
  readonly apiVersion?: string;
  readonly installHint?: string;
  readonly interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
}

/** What the plugin printed (an ExecCredential's status). */
export interface ExecCredentialStatus {
  readonly token?: string;
  readonly cert?: string;
  readonly key?: string;
  /** When the credential expires (ms since the epoch); undefined: until the API server refuses it. */
  readonly expiresAt?: number;
}

export interface RunExecOptions {
  /** Directory of the kubeconfig, against which a relative command with a slash is resolved (as kubectl). */
  readonly dir?: string;
  /** Kill the plugin after this long (default 60 s). */
  readonly timeoutMs?: number;
}

const DEFAULT_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * Runs an exec credential plugin as kubectl does (no terminal: KUBERNETES_EXEC_INFO says it is
 * not interactive) and reads the ExecCredential it prints. Errors name the plugin and say why,
 * never quoting its standard output (the credential).
 */
export function runExecPlugin(exec: ExecConfig, opts: RunExecOptions = {}): Promise<ExecCredentialStatus> {
  const apiVersion = exec.apiVersion || DEFAULT_API_VERSION;
  const name = `exec plugin "${exec.command}"`;
  if (exec.interactiveMode === 'Always')
    return Promise.reject(new Error(`${name} needs a terminal (interactiveMode: Always): kubemin runs without one; use a plugin or mode that does not ask`));
  const command = !isAbsolute(exec.command) && exec.command.includes('/') && opts.dir ? join(opts.dir, exec.command) : exec.command;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of exec.env ?? []) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
  const timeoutMs = opts.timeoutMs ?? 60_000;

  return new Promise((resolve, reject) => {
    const child = spawn(command, [...(exec.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let failed: Error | undefined;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      // Not waiting for the pipes to close: a process the plugin started may hold them open.
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      settle(() => reject(new Error(`${name} did not finish within ${timeoutMs / 1000} s`)));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => void (err = (err + c.toString('utf8')).slice(-4096)));
    child.on('error', (e: NodeJS.ErrnoException) => {
      failed ??=
        e.code === 'ENOENT'
          ? new Error(`${name}: command not found${exec.installHint ? `. ${exec.installHint.trim()}` : ''}`)
          : new Error(`${name} could not be run: ${e.message}`);
    });
    child.on('close', (code, signal) =>
      settle(() => {
        if (failed) return reject(failed);
        if (code !== 0) {
          const last = err.trim().split('\n').pop()?.trim().slice(0, 300);
          return reject(new Error(`${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`));
        }
        try {
          resolve(parseExecCredential(Buffer.concat(out).toString('utf8'), apiVersion, name));
        } catch (e) {
          reject(e as Error);
        }
      }),
    );
  });
}

/** The status of an ExecCredential, checked as client-go checks it. */
export function parseExecCredential(text: string, apiVersion: string, name = 'exec plugin'): ExecCredentialStatus {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Never the parser's message: it quotes the text, which may hold the token.
    throw new Error(`${name} printed no ExecCredential: its output (${Buffer.byteLength(text)} bytes) is not JSON`);
  }
  const cred = doc as { kind?: unknown; apiVersion?: unknown; status?: Record<string, unknown> } | null;
  if (!cred || typeof cred !== 'object' || cred.kind !== 'ExecCredential')
    throw new Error(`${name} printed JSON that is not an ExecCredential (kind ${JSON.stringify(cred?.kind ?? null)})`);
  if (cred.apiVersion !== apiVersion)
    throw new Error(`${name} printed an ExecCredential of apiVersion ${JSON.stringify(cred.apiVersion ?? null)}, but the kubeconfig asks for ${apiVersion}`);
  const status = cred.status ?? {};
  const str = (k: string): string | undefined => (typeof status[k] === 'string' && status[k] ? (status[k] as string) : undefined);
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  if (!token && !(cert && key))
    throw new Error(`${name} printed an ExecCredential with neither status.token nor status.clientCertificateData and clientKeyData`);
  if ((cert === undefined) !== (key === undefined))
    throw new Error(
      `${name} printed an ExecCredential with ${cert ? 'clientCertificateData but no clientKeyData' : 'clientKeyData but no clientCertificateData'}`,
    );
  const expiry = str('expirationTimestamp');
  const expiresAt = expiry === undefined ? undefined : Date.parse(expiry);
  if (expiresAt !== undefined && Number.isNaN(expiresAt))
    throw new Error(`${name} printed an ExecCredential whose status.expirationTimestamp ${JSON.stringify(expiry)} is not an RFC 3339 time`);
  return { ...(token ? { token } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) };
}
