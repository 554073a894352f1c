import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitApp } from '../../src/bundle/emit-bundle.js';
import { compile } from '../../src/compile.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { buildEditorSchema } from '../../src/spec/editor-schema.js';
import { codes } from '../helpers/spec.js';
import { cli, tempDir } from '../helpers/cli.js';

/** A spec as it is written, so that diagnostics have lines and columns to check. */
const spec = (step: string): string => `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: shop
spec:
  components:
    - name: settings
      type: config
      data: { MODE: fast }
    - name: web
      type: webservice
      image: ghcr.io/acme/web:1.0
      ports: [{ port: 8080 }]
  workflow:
    steps:
      - name: config
        components: [settings]
${step}
      - name: web
        components: [web]
`;

const compileText = (text: string) => compile([{ path: 'kubemin.yaml', text }]);

describe('the webhook step type', () => {
  it('plans a phase without objects between the others, with its fields and defaults as the phase params', () => {
    const r = compileText(
      spec(`      - name: approve
        type: webhook
        url: https://ci.example.com/hooks/kubemin?team=shop
        headersFrom:
          - name: Authorization
            secretKeyRef: { name: ci-token, key: header }
        signatureFrom:
          secretKeyRef: { name: hook-signing, key: hmac }
        wait: callback
        timeout: 30m`),
    );
    expect(r.diagnostics).toEqual([]);
    const phases = r.apps[0]!.phases;
    expect(phases.map((p) => [p.name, p.stepType, p.timeout, p.objects.length])).toEqual([
      ['config', 'deploy', '5m', 1],
      ['approve', 'webhook', '30m', 0],
      ['web', 'deploy', '5m', 2],
    ]);
    expect(phases[1]!.params).toEqual({
      url: 'https://ci.example.com/hooks/kubemin?team=shop',
      method: 'POST',
      headersFrom: [{ name: 'Authorization', secretKeyRef: { name: 'ci-token', key: 'header' } }],
      signatureFrom: { secretKeyRef: { name: 'hook-signing', key: 'hmac' } },
      wait: 'callback',
      retries: 2,
    });
    // plan.json carries them (never a Secret's value: there is none to carry), signatureFrom as where the key is read.
    const plan = emitApp(r.apps[0]!).planDocument;
    expect(plan.phases[1]).toMatchObject({
      type: 'webhook',
      components: [],
      objects: [],
      params: { wait: 'callback', signatureFrom: { secretKeyRef: { name: 'hook-signing', key: 'hmac' } } },
    });
  });

  it('refuses a URL with a user name and password at its line and column, without repeating them', () => {
    const r = compileText(
      spec(`      - name: approve
        type: webhook
        url: https://bot:hunter2secret@ci.example.com/hooks`),
    );
    expect(codes(r)).toEqual(['webhook-url-credentials']);
    const d = r.diagnostics[0]!;
    expect([d.file, d.line, d.col, d.pointer]).toEqual(['kubemin.yaml', 21, 14, '/spec/workflow/steps/1/url']);
    expect(d.hint).toContain('headersFrom');
    expect(JSON.stringify(d)).not.toContain('hunter2secret');
    expect(r.apps).toEqual([]);
  });

  it('kubemin validate shows that line masked in its code frame: the password is in no output', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'kubemin.yaml'),
      spec(`      - name: approve
        type: webhook
        url: https://bot:hunter2secret@ci.example.com/hooks`),
    );
    for (const format of ['text', 'json', 'github']) {
      const r = await cli(['validate', '.', '--format', format], dir);
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toContain('webhook-url-credentials');
      expect(`${r.stdout}${r.stderr}`).not.toContain('hunter2secret');
    }
  });

  it('checks the form of the fields through the schema: scheme, durations, header names, wait, retries', () => {
    const r = compileText(
      spec(`      - name: approve
        type: webhook
        url: ftp://ci.example.com/hooks
        method: DELETE
        headers: { "X Team": shop }
        headersFrom:
          - name: Authorization
            secretKeyRef: { name: Not_A_Name, key: header }
        wait: forever
        pollInterval: 5 minutes
        retries: 99`),
    );
    const found = r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
    expect(found).toEqual([
      expect.stringMatching(/^21:14 invalid-value "url" must be an http:\/\/ or https:\/\/ URL/),
      expect.stringMatching(/^22:17 invalid-value "method" is "DELETE", which is not one of: POST, PUT, PATCH, GET/),
      expect.stringMatching(/^23:20 invalid-key invalid key: "X Team"/),
      expect.stringMatching(/^26:35 invalid-value "name": "Not_A_Name" must be a lowercase RFC 1123 subdomain/),
      expect.stringMatching(/^27:15 invalid-value "wait" is "forever", which is not one of: response, callback/),
      expect.stringMatching(/^28:23 invalid-value "pollInterval": "5 minutes" is not a duration/),
      expect.stringMatching(/^29:18 invalid-value "retries" must be at most 10, not 99/),
    ]);
  });

  it('refuses credentials in plain headers, a header set twice, and CloudEvent attributes in body', () => {
    const r = compileText(
      spec(`      - name: approve
        type: webhook
        url: https://ci.example.com/hooks
        headers: { authorization: "Bearer abc", X-Team: shop }
        headersFrom:
          - name: x-team
            secretKeyRef: { name: team, key: name }
        body: { event_type: smoke, type: other }`),
    );
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual([
      '22:20 webhook-header-credentials',
      '24:19 duplicate-header',
      '26:36 webhook-body-reserved',
    ]);
    expect(r.diagnostics[1]!.related).toEqual([expect.objectContaining({ message: 'first set here', line: 22, col: 57 })]);
  });

  it('refuses signatureFrom with method GET (no body to sign) at its line and column, and a signature header set by hand besides', () => {
    const r = compileText(
      spec(`      - name: approve
        type: webhook
        url: https://ci.example.com/hooks
        method: GET
        headers: { X-Kubemin-Signature-256: sha256=abc }
        signatureFrom:
          secretKeyRef: { name: hook-signing, key: hmac }`),
    );
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      'kubemin.yaml:24:9 duplicate-header',
      'kubemin.yaml:24:9 webhook-signature-without-body',
    ]);
    expect(r.diagnostics[0]!.related).toEqual([expect.objectContaining({ message: 'first set here', line: 23, col: 45 })]);
    expect(r.diagnostics[1]!.message).toContain('method GET sends none');
    expect(r.apps).toEqual([]);
    const post = compileText(
      spec(`      - name: approve
        type: webhook
        url: https://ci.example.com/hooks
        signatureFrom:
          secretKeyRef: { name: hook-signing, key: hmac }`),
    );
    expect(post.diagnostics).toEqual([]);
  });

  it('checks the form of signatureFrom through the schema', () => {
    const r = compileText(
      spec(`      - name: approve
        type: webhook
        url: https://ci.example.com/hooks
        signatureFrom:
          secretKeyRef: { name: Hook_Signing }
          value: whsec-abc`),
    );
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(['23:11 missing-field', '23:33 invalid-value', '24:11 unknown-field']);
    expect(JSON.stringify(r.diagnostics)).not.toContain('whsec-abc');
  });

  it('is in the schemas editors get, with every field described', () => {
    const schema = buildEditorSchema(builtinRegistry);
    const step = schema.$defs?.['step.webhook'];
    expect(Object.keys(step?.properties ?? {})).toEqual([
      'name',
      'type',
      'timeout',
      'url',
      'method',
      'headers',
      'headersFrom',
      'signatureFrom',
      'body',
      'wait',
      'pollInterval',
      'retries',
    ]);
    expect(step?.required).toEqual(['name', 'url']);
    const written = JSON.parse(readFileSync('schemas/kubemin.schema.json', 'utf8')) as typeof schema;
    expect(written.$defs?.['step.webhook']).toEqual(step);
  });
});
