import { readFile } from 'node:fs/promises';
import type { User } from '@kubernetes/client-node';

/** A client certificate and key, PEM. */
export interface CertificatePair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * A kubeconfig user's client certificate: inline (`client-certificate-data`), or files, which
 * are read again when the API server refuses the certificate (it may have been renewed).
 */
export class ClientCertificate {
  private pair: CertificatePair | undefined;

  private constructor(private readonly user: User) {}

  static async load(user: User): Promise<ClientCertificate | undefined> {
    if (!(user.certData || user.certFile) || !(user.keyData || user.keyFile)) return undefined;
    const c = new ClientCertificate(user);
    c.pair = await c.read();
    return c;
  }

  get current(): CertificatePair {
    return this.pair!;
  }

  /** Reads the files again; true when the certificate or key changed. */
  async reread(): Promise<boolean> {
    if (!this.user.certFile && !this.user.keyFile) return false;
    const next = await this.read();
    const changed = !next.cert.equals(this.pair!.cert) || !next.key.equals(this.pair!.key);
    this.pair = next;
    return changed;
  }

  private async read(): Promise<CertificatePair> {
    const part = async (file: string | undefined, data: string | undefined, what: string): Promise<Buffer> => {
      if (data) return Buffer.from(data, 'base64');
      try {
        return await readFile(file!);
      } catch (err) {
        throw new Error(`cannot read the client ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
      }
    };
    return { cert: await part(this.user.certFile, this.user.certData, 'certificate'), key: await part(this.user.keyFile, this.user.keyData, 'key') };
  }
}
