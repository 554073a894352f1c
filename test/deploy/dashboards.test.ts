import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/k8s/formats/duration.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { namesIn, registered, unknownNames } from './promql-names.js';

/**
 * deploy/grafana/kubemin.json and deploy/prometheus-rules.yaml against the metrics the daemon
 * registers (a real WatchMetrics registry): every query names only metrics and labels that exist,
 * the dashboard shows what issue 16 asks for, and the rule file has a PrometheusRule's shape.
 */

const read = (path: string): string => readFileSync(fileURLToPath(new URL(`../../deploy/${path}`, import.meta.url)), 'utf8');
const known = registered(new WatchMetrics());

interface Target {
  readonly expr: string;
  readonly legendFormat?: string;
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { type: string; uid: string };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly schemaVersion: number;
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { list: ReadonlyArray<{ name: string; type: string; query: unknown; datasource?: { uid: string } }> };
}
interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels?: Record<string, string>;
  readonly annotations: Record<string, string>;
}

const dashboard = JSON.parse(read('grafana/kubemin.json')) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
const rulesText = read('prometheus-rules.yaml');
const ruleDoc = yaml.load(rulesText) as { spec: { groups: Array<{ name: string; rules: Rule[] }> } };
const rules = ruleDoc.spec.groups.flatMap((g) => g.rules);

/** The metrics `exprs` name, a histogram's series (_bucket, _sum, _count) by the histogram's name. */
const families = (exprs: readonly string[]): Set<string> =>
  new Set(
    exprs.flatMap((e) =>
      [...namesIn(e).metrics].map((m) => {
        const base = m.replace(/_(bucket|sum|count)$/, '');
        return known.has(`${base}_bucket`) ? base : m;
      }),
    ),
  );

describe('the PromQL checker', () => {
  it('finds the metrics, labels and functions of an expression', () => {
    const named = namesIn(
      'histogram_quantile(0.9, sum by (le, app) (rate(kubemin_phase_duration_seconds_bucket{app=~"$app", phase!="x"}[$__rate_interval]))) > on () group_left vector(0) or max(kubemin_leader) offset 5m',
    );
    expect([...named.metrics].sort()).toEqual(['kubemin_leader', 'kubemin_phase_duration_seconds_bucket']);
    expect([...named.labels].sort()).toEqual(['app', 'le', 'phase']);
    expect([...named.functions].sort()).toEqual(['histogram_quantile', 'max', 'rate', 'sum', 'vector']);
  });

  it('reports a metric that is not registered, a label its metrics do not have, and an unknown function', () => {
    expect(unknownNames('sum by (app) (increase(kubemin_job_total{outcome="failed"}[5m]))', known)).toEqual(['metric kubemin_job_total', 'label app', 'label outcome']);
    expect(unknownNames('sum by (phase) (kubemin_jobs_total)', known, '{{app}} {{pod}}')).toEqual(['label phase', 'legend label pod']);
    expect(unknownNames('kubemin_job_duration_seconds_bucket{le="1"}', known)).toEqual([]);
    expect(unknownNames('kubemin_job_duration_seconds{le="1"}', known)).toEqual(['metric kubemin_job_duration_seconds', 'label le']);
    expect(() => namesIn('ratez(kubemin_leader[5m])')).toThrow(/unknown function ratez/);
  });
});

describe('deploy/grafana/kubemin.json', () => {
  it('queries only metrics and labels the daemon registers', () => {
    const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));
    expect(targets.length).toBeGreaterThan(10);
    const problems = targets.flatMap((t) => unknownNames(t.expr, known, t.legendFormat).map((p) => `${t.panel}: ${p} in ${t.expr}`));
    expect(problems).toEqual([]);
  });

  it('has a Prometheus data source variable that every panel uses, and an app variable from an existing metric and label', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
    for (const p of panels) expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    const app = dashboard.templating.list.find((v) => v.name === 'app')!;
    expect(app.datasource?.uid).toBe('${datasource}');
    const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec((app.query as { query: string }).query) ?? [];
    expect(known.get(metric!)?.has(label!)).toBe(true);
  });

  it('lays its panels out on the 24-column grid without overlaps, each with a unique id', () => {
    const all = dashboard.panels as ReadonlyArray<Panel & { id: number; gridPos: { x: number; y: number; w: number; h: number } }>;
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    for (const p of all) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    const overlaps = all.flatMap((a, i) =>
      all
        .slice(i + 1)
        .filter((b) => a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h)
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlaps).toEqual([]);
  });

  it('shows apply outcomes, commit-to-applied latency, phase durations, job success and durations, drift, leader and status push failures', () => {
    const shown = families(panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    for (const m of [
      'kubemin_applies_total',
      'kubemin_commit_to_applied_seconds',
      'kubemin_phase_duration_seconds',
      'kubemin_phases_in_progress',
      'kubemin_jobs_total',
      'kubemin_job_duration_seconds',
      'kubemin_job_queue_seconds',
      'kubemin_drift_objects',
      'kubemin_leader',
      'kubemin_status_push_failures_total',
    ])
      expect(shown, m).toContain(m);
  });
});

/**
 * The PrometheusRule's shape as the Prometheus Operator documents it (API reference,
 * monitoring.coreos.com/v1 PrometheusRule: spec.groups[] of name, interval, rules[] of record or
 * alert, expr, for, keep_firing_for, labels, annotations): derived from the documented fields,
 * not the operator's CRD (not available here). Unknown fields are refused, to catch typos.
 */
const DURATION = '^((\\d+)y)?((\\d+)w)?((\\d+)d)?((\\d+)h)?((\\d+)m)?((\\d+)s)?((\\d+)ms)?$';
const PROMETHEUS_RULE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'PrometheusRule' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        groups: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1 },
              interval: { type: 'string', pattern: DURATION },
              query_offset: { type: 'string', pattern: DURATION },
              limit: { type: 'integer' },
              partial_response_strategy: { type: 'string' },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              rules: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['expr'],
                  additionalProperties: false,
                  properties: {
                    alert: { type: 'string' },
                    record: { type: 'string' },
                    expr: { type: ['string', 'integer'] },
                    for: { type: 'string', pattern: DURATION },
                    keep_firing_for: { type: 'string', pattern: DURATION },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                    annotations: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                  oneOf: [{ required: ['alert'] }, { required: ['record'] }],
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

describe('deploy/prometheus-rules.yaml', () => {
  it("has a PrometheusRule's shape (the documented fields) and is one document", () => {
    expect(yaml.loadAll(rulesText).filter(Boolean)).toHaveLength(1);
    const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(PROMETHEUS_RULE_SCHEMA);
    expect(validate(ruleDoc) ? [] : validate.errors).toEqual([]);
    // The schema refuses what is not documented (a misspelt field): it can fail.
    const typo = structuredClone(ruleDoc) as unknown as { spec: { groups: Array<{ rules: Array<Record<string, unknown>> }> } };
    typo.spec.groups[0]!.rules[0]!.annotation = { summary: 'x' };
    expect(validate(typo)).toBe(false);
  });

  it('alerts on a failing app, lasting drift, failing status pushes, no leader and a job failure rate, each with a for:, a summary and a description', () => {
    expect(rules.map((r) => r.alert)).toEqual(['KubeminAppFailing', 'KubeminDriftPersists', 'KubeminStatusPushFailing', 'KubeminNoLeader', 'KubeminJobFailureRateHigh']);
    const byAlert = new Map(rules.map((r) => [r.alert, families([r.expr])]));
    expect([...byAlert.get('KubeminAppFailing')!]).toEqual(['kubemin_applies_total']);
    expect([...byAlert.get('KubeminDriftPersists')!]).toEqual(['kubemin_drift_objects']);
    expect([...byAlert.get('KubeminStatusPushFailing')!]).toEqual(['kubemin_status_push_failures_total']);
    expect([...byAlert.get('KubeminNoLeader')!]).toEqual(['kubemin_leader']);
    expect([...byAlert.get('KubeminJobFailureRateHigh')!]).toEqual(['kubemin_jobs_total']);
    for (const r of rules) {
      expect(parseDuration(r.for), r.alert).toBeGreaterThan(0);
      expect(r.annotations.summary, r.alert).toBeTruthy();
      expect(r.annotations.description, r.alert).toBeTruthy();
      expect(r.labels?.severity, r.alert).toMatch(/^(warning|critical)$/);
    }
  });

  it('queries only metrics and labels the daemon registers', () => {
    const problems = rules.flatMap((r) => unknownNames(r.expr, known).map((p) => `${r.alert}: ${p}`));
    expect(problems).toEqual([]);
  });
});
