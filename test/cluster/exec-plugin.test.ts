import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExecCredential, runExecPlugin } from '../../src/cluster/auth/exec-plugin.js';
import { tempDir } from '../helpers/cli.js';

/** Exec credential plugins: what they print is checked as client-go checks it, and no error quotes it. */

const V1 = 'client.authentication.k8s.io/v1';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2ln';

describe('exec credential plugins', () => {
  it('reads the token, a client certificate and the expiry', () => {
    expect(parseExecCredential(JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: TOKEN } }), V1)).toEqual({ token: TOKEN });
    expect(
      parseExecCredential(
        JSON.stringify({
          apiVersion: V1,
          kind: 'ExecCredential',
          status: { clientCertificateData: 'C', clientKeyData: 'K', expirationTimestamp: '2030-01-02T03:04:05Z' },
        }),
        V1,
      ),
    ).toEqual({
      cert: 'C',
      key: 'K',
      expiresAt: Date.parse('2030-01-02T03:04:05Z'),
    });
  });

  it('refuses what client-go refuses, never quoting the output', () => {
    const cases: Array<[string, RegExp]> = [
      [`token: ${TOKEN}`, /printed no ExecCredential: its output \(\d+ bytes\) is not JSON/],
      [`{"token": "${TOKEN}"`, /is not JSON/],
      [JSON.stringify({ apiVersion: V1, kind: 'Other', status: { token: TOKEN } }), /JSON that is not an ExecCredential \(kind "Other"\)/],
      [
        JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: TOKEN } }),
        /apiVersion "client.authentication.k8s.io\/v1beta1", but the kubeconfig asks for client.authentication.k8s.io\/v1/,
      ],
      [JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: {} }), /neither status.token nor status.clientCertificateData and clientKeyData/],
      [
        JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: TOKEN, clientCertificateData: 'C' } }),
        /clientCertificateData but no clientKeyData/,
      ],
      [
        JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: TOKEN, expirationTimestamp: 'tomorrow' } }),
        /expirationTimestamp "tomorrow" is not an RFC 3339 time/,
      ],
    ];
    for (const [text, message] of cases) {
      let error: Error | undefined;
      try {
        parseExecCredential(text, V1, 'exec plugin "aws"');
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).toMatch(/^exec plugin "aws" /);
      expect(error?.message).not.toContain(TOKEN);
      expect(error?.message).not.toContain('c2VjcmV0');
    }
  });

  it('runs the plugin without a terminal, says so in KUBERNETES_EXEC_INFO, passes its env, and says why it failed', async () => {
    const dir = tempDir('kubemin-exec-');
    const script = join(dir, 'plugin.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"%s"}}' "$EXTRA-$(echo "$KUBERNETES_EXEC_INFO" | tr -d ' ' | grep -c '"interactive":false')"\n`,
    );
    chmodSync(script, 0o755);
    expect(await runExecPlugin({ command: script, apiVersion: V1, env: [{ name: 'EXTRA', value: 'from-env' }] })).toEqual({ token: 'from-env-1' });
    // A relative command with a slash is found beside the kubeconfig, as kubectl does.
    expect(await runExecPlugin({ command: './plugin.sh', apiVersion: V1, env: [{ name: 'EXTRA', value: 'x' }] }, { dir })).toEqual({ token: 'x-1' });
    await expect(
      runExecPlugin({ command: 'kubemin-no-such-plugin', apiVersion: V1, installHint: 'Install it with: brew install no-such-plugin' }),
    ).rejects.toThrow('exec plugin "kubemin-no-such-plugin": command not found. Install it with: brew install no-such-plugin');
    await expect(runExecPlugin({ command: 'sh', args: ['-c', 'echo first >&2; echo "token expired" >&2; exit 3'], apiVersion: V1 })).rejects.toThrow(
      'exec plugin "sh" exited with code 3: token expired',
    );
    await expect(runExecPlugin({ command: 'sh', args: ['-c', 'sleep 5'], apiVersion: V1 }, { timeoutMs: 200 })).rejects.toThrow(
      'exec plugin "sh" did not finish within 0.2 s',
    );
    await expect(runExecPlugin({ command: script, apiVersion: V1, interactiveMode: 'Always' })).rejects.toThrow(/needs a terminal \(interactiveMode: Always\)/);
  });
});
