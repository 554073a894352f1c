import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';

/** `kubemin view --kubeconfig`: the page shows what applying would change, against the real test cluster, and no Secret value (the spec's or the cluster's). */
const cluster = testCluster();

const SPEC_SECRET = 'spec-Side-Value-90210-q';
const LIVE_SECRET = 'live-Side-Value-31337-k';

describe('kubemin view with the live diff', () => {
  it('says per object and per phase what applying would change', async () => {
    const ns = await cluster.newNamespace('view-live');
    await cluster.kubectl(['apply', '-n', ns, '-f', '-'], {
      input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: old}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: db-auth}\nstringData: {password: ${LIVE_SECRET}}\n`,
    });
    const dir = tempDir('kubemin-view-live-');
    writeFileSync(
      join(dir, 'kubemin.yaml'),
      `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: shop, namespace: ${ns}}
spec:
  components:
    - {name: settings, type: config, data: {mode: new}}
    - {name: db-auth, type: secret, stringData: {password: ${SPEC_SECRET}}}
    - {name: extra, type: config, data: {a: b}}
  workflow:
    steps:
      - {name: data, components: [settings, db-auth]}
      - {name: more, components: [extra]}
`,
    );
    const r = await cli(['view', '.', '--kubeconfig', cluster.kubeconfig, '--out', 'page.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html).toContain('Live diff with the cluster: 1 to create, 2 to update, 0 to delete, 0 unchanged.');
    expect(html).toMatch(
      /<td>ConfigMap<\/td><td><code>settings<\/code><\/td>.*?<td class="changed">update \(conflict: [^<]*kubectl-client-side-apply[^<]*\)<details><summary>diff of ConfigMap [^<]+\/settings<\/summary><pre>[^<]*-  mode: old\n\+  mode: new/s,
    );
    expect(html).toMatch(/<td>ConfigMap<\/td><td><code>extra<\/code><\/td>.*?<td class="changed">create/s);
    // Each phase's node says it in words.
    expect(html.match(/<text [^>]*>live: 1 to change<\/text>/g)).toHaveLength(3);
    expect(html).toContain('-  password: &quot;*** (before)&quot;\n+  password: &quot;*** (after)&quot;');
    for (const value of [SPEC_SECRET, LIVE_SECRET]) {
      expect(html).not.toContain(value);
      expect(html).not.toContain(Buffer.from(value).toString('base64'));
    }
  });
});
