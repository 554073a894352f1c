import type { WatchMetrics } from '../../src/watch/metrics.js';

/**
 * What a PromQL expression names, found by a small tokenizer (not a full parser): the metric
 * names of its selectors, the label names of its matchers and of by/without/on/ignoring/group_*
 * lists, and the functions it calls. Grafana's variables ($app, ${datasource}, $__rate_interval)
 * are dropped first; range and offset durations are skipped.
 */
export interface Named {
  readonly metrics: ReadonlySet<string>;
  readonly labels: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
}

const TOKEN = /\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\[[^\]]*\]|[a-zA-Z_:][a-zA-Z0-9_:]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?[a-z]*|=~|!~|!=|==|>=|<=|[-+*/%^(){},=<>]/gy;
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'Inf', 'NaN']);
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group']);
/** PromQL functions, and Grafana's template query functions. */
const FUNCTIONS = new Set([
  'abs',
  'absent',
  'absent_over_time',
  'avg_over_time',
  'ceil',
  'changes',
  'clamp_max',
  'clamp_min',
  'delta',
  'deriv',
  'floor',
  'histogram_quantile',
  'increase',
  'irate',
  'label_replace',
  'max_over_time',
  'min_over_time',
  'rate',
  'resets',
  'round',
  'scalar',
  'sort',
  'sort_desc',
  'sum_over_time',
  'time',
  'timestamp',
  'vector',
  'label_values',
]);

function tokens(expr: string): string[] {
  const text = expr.replace(/\$\{[^}]*\}|\$[A-Za-z_]\w*/g, ' ');
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read PromQL at ${at}: ${text.slice(at, at + 30)}`);
    if (m[0].trim()) out.push(m[0]);
  }
  return out;
}

export function namesIn(expr: string): Named {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  const functions = new Set<string>();
  const t = tokens(expr);
  const ident = (s: string | undefined): boolean => s !== undefined && /^[a-zA-Z_:]/.test(s);
  /** Label matchers from t[i] = '{' to its '}': returns the index after it. */
  const matchers = (i: number): number => {
    for (i++; i < t.length && t[i] !== '}'; i++) if (ident(t[i]) && ['=', '!=', '=~', '!~'].includes(t[i + 1]!)) labels.add(t[i]!);
    return i + 1;
  };
  for (let i = 0; i < t.length; ) {
    const s = t[i]!;
    if (s === '{') {
      i = matchers(i);
      continue;
    }
    if (!ident(s)) {
      i++;
      continue;
    }
    if (LABEL_LISTS.has(s)) {
      // by (a, b); group_left may come without a list.
      if (t[i + 1] !== '(') {
        i++;
        continue;
      }
      for (i += 2; i < t.length && t[i] !== ')'; i++) if (ident(t[i])) labels.add(t[i]!);
      i++;
      continue;
    }
    if (KEYWORDS.has(s)) {
      i += s === 'offset' ? 2 : 1;
      continue;
    }
    if (AGGREGATIONS.has(s) || (t[i + 1] === '(' && FUNCTIONS.has(s))) {
      functions.add(s);
      i++;
      continue;
    }
    if (t[i + 1] === '(') throw new Error(`unknown function ${s}() in ${expr}`);
    metrics.add(s);
    i++;
  }
  return { metrics, labels, functions };
}

/** The metrics a registry holds (series names: a histogram's _bucket, _sum and _count) and the labels of each. */
export function registered(metrics: WatchMetrics): Map<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const m of metrics.registry.getMetricsAsArray()) {
    const labelNames = (m as unknown as { labelNames?: readonly string[] }).labelNames;
    if (!Array.isArray(labelNames)) throw new Error(`prom-client metric ${m.name} has no labelNames: read them another way`);
    if (String(m.type) === 'histogram') {
      out.set(`${m.name}_bucket`, new Set([...labelNames, 'le']));
      out.set(`${m.name}_sum`, new Set(labelNames));
      out.set(`${m.name}_count`, new Set(labelNames));
    } else out.set(m.name, new Set(labelNames));
  }
  return out;
}

/**
 * What `expr` names that `known` does not have: metrics that are not registered, labels that no
 * metric of the expression has (`extraLabels`: labels Prometheus adds, e.g. `instance`), and the
 * labels of `legend` ({{label}}) the same way.
 */
export function unknownNames(expr: string, known: ReadonlyMap<string, ReadonlySet<string>>, legend = ''): string[] {
  const named = namesIn(expr);
  const problems: string[] = [];
  const labels = new Set<string>();
  for (const m of named.metrics) {
    const has = known.get(m);
    if (!has) problems.push(`metric ${m}`);
    else for (const l of has) labels.add(l);
  }
  for (const l of named.labels) if (!labels.has(l)) problems.push(`label ${l}`);
  for (const [, l] of legend.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)) if (!labels.has(l!)) problems.push(`legend label ${l}`);
  return problems;
}
