import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/diagnostics/format-text.js';
import { loadNotifyConfig, parseNotifyConfig } from '../../src/notify/config.js';

const FILE = '/etc/kubemin/notify.yaml';
const HEAD = 'apiVersion: kubemin.dev/v1alpha1\nkind: Notifications\n';

/** `line:col code message` of each diagnostic. */
function problems(yaml: string, env: Record<string, string> = {}): string[] {
  const { config, diagnostics } = parseNotifyConfig(yaml, FILE, { env });
  expect(config).toBeUndefined();
  return diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
}

describe('a valid config', () => {
  it('reads the secrets from files and env vars, and never shows them when printed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubemin-notify-'));
    writeFileSync(path.join(dir, 'slack-url'), 'https://hooks.slack.com/services/T1/B2/slackSecretXyz\n');
    writeFileSync(path.join(dir, 'hmac'), 'hmacSecretKey42\n');
    const file = path.join(dir, 'notify.yaml');
    writeFileSync(
      file,
      `${HEAD}webViewUrl: https://kubemin.example.com
sinks:
  - name: ops-slack
    type: slack
    urlFile: slack-url
    events: [apply.failed, apply.rejected, drift.found]
    apps: ["shop*"]
    environments: [production]
  - name: ci
    type: webhook
    url: https://hooks.example.com/kubemin
    secretFile: ${path.join(dir, 'hmac')}
    timeoutMs: 5000
  - name: gh
    type: github-status
    repository: acme/deploy
    tokenEnv: GH_TOKEN
`,
    );
    const { config, diagnostics } = loadNotifyConfig(file, { env: { GH_TOKEN: 'ghp_tokenValue123' } });
    expect(diagnostics).toEqual([]);
    expect(config!.webViewUrl).toBe('https://kubemin.example.com');
    expect(config!.sinks.map((s) => [s.name, s.type, s.timeoutMs])).toEqual([
      ['ops-slack', 'slack', 10000],
      ['ci', 'webhook', 5000],
      ['gh', 'github-status', 10000],
    ]);
    expect(config!.sinks[0]!.route).toEqual({ events: ['apply.failed', 'apply.rejected', 'drift.found'], apps: ['shop*'], environments: ['production'] });
    expect(config!.sinks[2]!.route.events).toEqual(['apply.started', 'apply.succeeded', 'apply.failed', 'apply.rejected', 'apply.interrupted']);
    expect(config!.sinks[0]!.settings).toEqual({ url: 'https://hooks.slack.com/services/T1/B2/slackSecretXyz' });
    expect([...config!.secrets].sort()).toEqual(['ghp_tokenValue123', 'hmacSecretKey42', 'https://hooks.slack.com/services/T1/B2/slackSecretXyz']);
    for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 })]) {
      for (const secret of config!.secrets) expect(printed).not.toContain(secret);
      expect(printed).toContain('ops-slack');
    }
  });
});

describe('problems, each at its line and column, saying how to fix it', () => {
  it('a Slack URL written in the config', () => {
    expect(problems(`${HEAD}sinks:\n  - name: ops\n    type: slack\n    url: https://hooks.slack.com/services/T1/B2/abcSecret\n`)).toEqual([
      '6:5 notify-secret-in-config "url" holds a credential and may not be written in the config | read it from a file (urlFile: /path) or an environment variable (urlEnv: NAME); keep it out of git',
    ]);
  });

  it('a webhook URL with credentials, in its userinfo or its query; the message never quotes it', () => {
    const found = [
      ...problems(`${HEAD}sinks:\n  - name: ci\n    type: webhook\n    url: https://bot:s3cretPw@hooks.example.com/x\n`),
      ...problems(`${HEAD}sinks:\n  - name: ci\n    type: webhook\n    url: "https://hooks.example.com/x?access_token=t0kenValue"\n`),
    ];
    expect(found).toEqual([
      '6:10 notify-bad-url sink "ci": the URL holds credentials (user:password@) and may not be written in the config | read it from a file (urlFile: /path) or an environment variable (urlEnv: NAME); keep it out of git',
      '6:10 notify-bad-url sink "ci": the URL holds a credential in its query and may not be written in the config | read it from a file (urlFile: /path) or an environment variable (urlEnv: NAME); keep it out of git',
    ]);
    expect(found.join('\n')).not.toMatch(/s3cretPw|t0kenValue/);
  });

  it('the same URL is fine from an env var', () => {
    const { config } = parseNotifyConfig(`${HEAD}sinks:\n  - { name: ci, type: webhook, urlEnv: HOOK }\n`, FILE, {
      env: { HOOK: 'https://bot:s3cretPw@hooks.example.com/x' },
    });
    expect(config!.secrets).toEqual(['https://bot:s3cretPw@hooks.example.com/x']);
  });

  it('unknown fields, types and events, with a suggestion', () => {
    expect(
      problems(`${HEAD}sinks:
  - name: ops
    type: slak
    urlEnv: X
  - name: ci
    type: webhook
    urlEnv: Y
    evnets: [apply.failed]
  - name: ci2
    type: webhook
    urlEnv: Y
    events: [apply.faild]
`),
    ).toEqual([
      '5:11 notify-unknown-value "slak" is not a type of sink "ops" | did you mean "slack"?',
      '10:5 notify-unknown-field unknown field "evnets" in sink "ci" | did you mean "events"?',
      '14:14 notify-unknown-value "apply.faild" is not a events entry 1 of sink "ci2" | did you mean "apply.failed"?',
    ]);
  });

  it('secrets that cannot be read name the variable or the file, never a value', () => {
    expect(
      problems(
        `${HEAD}sinks:\n  - { name: a, type: slack, urlEnv: SLACK_URL }\n  - { name: b, type: github-status, repository: acme/x, tokenFile: /nonexistent/token }\n`,
      ),
    ).toEqual([
      '4:37 notify-secret-unreadable sink "a": url: the environment variable SLACK_URL is not set | set SLACK_URL, or read the value from a file instead',
      '5:68 notify-secret-unreadable sink "b": token: the file /nonexistent/token cannot be read (ENOENT) | mount the secret there, or give another path',
    ]);
  });

  it('a missing secret, one given twice, a missing repository', () => {
    expect(
      problems(
        `${HEAD}sinks:\n  - { name: a, type: slack }\n  - { name: b, type: webhook, url: "https://x.example.com", urlEnv: U }\n  - { name: c, type: github-status, tokenEnv: T }\n`,
        { U: 'https://y.example.com', T: 't' },
      ),
    ).toEqual([
      '4:5 notify-missing-field sink "a": url is missing | give urlFile: /path/to/file, or urlEnv: VARIABLE (a credential is never written in the config)',
      '5:61 notify-secret-twice sink "b": url and urlEnv both give url | keep one of them',
      '6:5 notify-missing-field sink "c" lacks "repository" | add repository: owner/name',
    ]);
  });

  it('an event a sink cannot report, and two sinks of one name', () => {
    expect(
      problems(
        `${HEAD}sinks:\n  - { name: gh, type: github-status, repository: a/b, tokenEnv: T, events: [apply.failed, drift.found] }\n  - { name: gh, type: webhook, urlEnv: T }\n`,
        { T: 'https://t.example.com' },
      ),
    ).toEqual([
      '4:91 notify-event-not-handled a github-status sink says nothing about drift.found | its events: apply.started, apply.succeeded, apply.failed, apply.rejected, apply.interrupted',
      '5:13 notify-duplicate-sink two sinks are named "gh" (entries 1 and 2) | give each sink a name of its own',
    ]);
  });

  it('the wrong kind of file, and YAML that does not parse (its line is not quoted: it may hold a secret)', () => {
    expect(problems(`apiVersion: v1\nkind: ConfigMap\nsinks: []\n`)).toEqual([
      '1:13 notify-wrong-value apiVersion must be "kubemin.dev/v1alpha1"',
      '2:7 notify-wrong-value kind must be "Notifications"',
      '3:8 notify-invalid sinks must NOT have fewer than 1 items',
    ]);
    const broken = problems(`${HEAD}sinks:\n  - name: a\n    url: "https://hooks.slack.com/services/abcSecretXyz\n`);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0]).toMatch(/^\d+:\d+ notify-yaml-syntax /);
    expect(broken.join('\n')).not.toContain('abcSecretXyz');
  });

  it('as kubemin prints diagnostics: file:line:col, the code and the hint', () => {
    const { diagnostics } = parseNotifyConfig(`${HEAD}sinks:\n  - { name: a, type: slack, url: "https://hooks.slack.com/services/T/B/zzzSecretzzz" }\n`, FILE, {
      env: {},
    });
    const text = formatText(diagnostics, undefined);
    expect(text).toContain('/etc/kubemin/notify.yaml:4:29 error notify-secret-in-config "url" holds a credential');
    expect(text).toContain('hint: read it from a file (urlFile: /path)');
    expect(text).not.toContain('zzzSecretzzz');
  });

  it('an unreadable config file', () => {
    const { config, diagnostics } = loadNotifyConfig('/nonexistent/notify.yaml', { env: {} });
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([
      '/nonexistent/notify.yaml notify-config-unreadable the notifications config cannot be read (ENOENT)',
    ]);
  });
});
