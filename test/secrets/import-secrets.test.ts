import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

/** `kubemin import kubemin-cli`: no warning, error or JSON message shows a secret value of the input. */
describe('import: no secret value in its messages', () => {
  const SECRETS = ['s3cr3t-value-xyz', 's3cr3t-value-abc', 'pin-9876'];

  async function run(json: string): Promise<{ code: number; text: string; stdout: string }> {
    const dir = tempDir();
    const file = join(dir, 'app.json');
    writeFileSync(file, json);
    const r = await cli(['import', 'kubemin-cli', file]);
    return { code: r.code, text: r.stderr, stdout: r.stdout };
  }

  it('a secret in a component whose type is misspelled, or on a component that is not a secret', async () => {
    const r = await run(
      JSON.stringify({
        name: 'shop',
        component: [
          { name: 'db-auth', type: 'Secret', properties: { secret: { PW: SECRETS[0], PIN: 9876 } } },
          { name: 'web', type: 'webservice', image: 'nginx', properties: { secret: { PW: SECRETS[1] }, env: { X: SECRETS[0] }, ports: [{ port: 80 }] } },
        ],
      }),
    );
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/component "db-auth" has type "Secret"/);
    for (const s of SECRETS) expect(r.text).not.toContain(s);
  });

  it("JSON that does not parse: where, in kubemin's words, without a piece of the input", async () => {
    const r = await run(`{"name": "shop", "component": [{"name": "a", "type": "secret", "properties": {"secret": {"PW": ${SECRETS[0]}}}}]}`);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/app\.json:1:96 error json-syntax invalid JSON: unexpected character: expected a value/);
    expect(r.text).not.toContain('s3cr3t');
  });

  it('the converted spec on stdout keeps the values (it is the product), the messages do not', async () => {
    const r = await run(JSON.stringify({ name: 'shop', component: [{ name: 'db-auth', type: 'secret', properties: { secret: { PW: SECRETS[0] } } }] }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(SECRETS[0]);
    expect(r.text).not.toContain(SECRETS[0]);
  });
});
