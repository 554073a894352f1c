import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Document, Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { sortDiagnostics } from '../diagnostics/diagnostic.js';
import { splitPointer } from '../load/json-pointer.js';
import { yamlPackage } from '../lazy-packages.js';
import { compileNotifySchema, notifySchema, schemaProblems } from './config-schema.js';
import type { NotificationKind, NotificationOutcome } from './notification.js';
import type { Route } from './route.js';
import { readSecret, urlProblem, type SecretForm } from './secret-source.js';
import { sinkTable } from './sinks/index.js';
import type { PlainValue, ResolveContext, SinkDefinition } from './sinks/types.js';

/** A request is given up after this long by default (a sink that hangs). */
const DEFAULT_TIMEOUT_MS = 10_000;

/** One sink of the config, ready to be made: its settings (secrets included) are not enumerable, so that printing the config shows none. */
interface SinkConfig {
  readonly name: string;
  readonly type: string;
  readonly route: Route;
  readonly timeoutMs: number;
  readonly settings: unknown;
}

/** A valid notifications config, its secrets read. */
export interface NotifyConfig {
  readonly file: string;
  readonly webViewUrl?: string;
  readonly source?: string;
  readonly queueSize?: number;
  readonly sinks: readonly SinkConfig[];
  /** Every secret value read (URLs with tokens, HMAC keys, tokens): for the Redactor. Not enumerable. */
  readonly secrets: readonly string[];
}

export interface LoadOptions {
  /** The environment secrets are read from (`urlEnv`, `tokenEnv`...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file (default: fs); the config's and the secrets' files. */
  readonly readFile?: (file: string) => string;
  readonly sinks?: ReadonlyMap<string, SinkDefinition<any>>;
}

/** Reads and checks a notifications config file (`kubemin watch --notify`, `kubemin apply --notify`); no config when it has errors. */
export function loadNotifyConfig(file: string, opts: LoadOptions): { config?: NotifyConfig; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = (opts.readFile ?? ((f: string) => readFileSync(f, 'utf8')))(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return { diagnostics: [{ severity: 'error', code: 'notify-config-unreadable', message: `the notifications config cannot be read (${code})`, file }] };
  }
  return parseNotifyConfig(text, file, opts);
}

export function parseNotifyConfig(text: string, file: string, opts: LoadOptions): { config?: NotifyConfig; diagnostics: Diagnostic[] } {
  const { parseDocument, LineCounter: Counter } = yamlPackage();
  const lines = new Counter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false }) as Document;
  const diagnostics: Diagnostic[] = [];
  const place = (pointer: string, key = false): { line: number; col: number } => lines.linePos(offsetOf(doc, splitPointer(pointer), key));
  for (const e of doc.errors) {
    // yaml's messages end with a frame of the line, which may hold a secret: the first clause only.
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    diagnostics.push({ severity: 'error', code: 'notify-yaml-syntax', message, file, ...lines.linePos(e.pos[0]) });
  }
  if (diagnostics.length) return { diagnostics };
  const root = doc.toJS() as unknown;
  const sinks = opts.sinks ?? sinkTable();
  const errors = compileNotifySchema(notifySchema(sinks))(root);
  for (const p of schemaProblems(errors, root)) {
    diagnostics.push({
      severity: 'error',
      code: p.code,
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
      file,
      pointer: p.pointer,
      ...place(p.pointer, p.key),
    });
  }
  // Entries the schema found wrong are not read further; the others are, so that every problem is told at once.
  const invalidSinks = new Set(diagnostics.map((d) => /^\/sinks\/(\d+)/.exec(d.pointer ?? '')?.[1]).filter((i) => i !== undefined));
  if (diagnostics.length > [...diagnostics].filter((d) => /^\/sinks\/\d+/.test(d.pointer ?? '')).length) return { diagnostics: sortDiagnostics(diagnostics) };

  const raw = root as { webViewUrl?: string; source?: string; queueSize?: number; sinks: Array<Record<string, unknown>> };
  const secrets: string[] = [];
  const out: SinkConfig[] = [];
  const names = new Map<string, number>();
  raw.sinks.forEach((entry, i) => {
    if (invalidSinks.has(String(i))) return;
    const pointer = `/sinks/${i}`;
    const problem = (at: string, code: string, message: string, hint?: string, key = false): void => {
      diagnostics.push({ severity: 'error', code, message, ...(hint ? { hint } : {}), file, pointer: pointer + at, ...place(pointer + at, key) });
    };
    const name = String(entry.name);
    const type = String(entry.type);
    const first = names.get(name);
    if (first !== undefined)
      problem('/name', 'notify-duplicate-sink', `two sinks are named "${name}" (entries ${first + 1} and ${i + 1})`, 'give each sink a name of its own');
    names.set(name, i);
    const definition = sinks.get(type)!;
    const ctx = resolveContext(
      entry,
      pointer,
      { env: opts.env, dir: path.dirname(path.resolve(file)), ...(opts.readFile ? { readFile: opts.readFile } : {}) },
      secrets,
      (at, code, message, hint, key) => problem(at, code, `sink "${name}": ${message}`, hint, key),
    );
    const settings = definition.resolve(entry, ctx);
    const events = (entry.events as NotificationKind[] | undefined) ?? definition.defaultEvents;
    events.forEach((kind, k) => {
      if (!definition.handles.includes(kind)) {
        problem(`/events/${k}`, 'notify-event-not-handled', `a ${type} sink says nothing about ${kind}`, `its events: ${definition.handles.join(', ')}`);
      }
    });
    if (settings === undefined) return;
    const route: Route = {
      events,
      ...(entry.apps ? { apps: entry.apps as string[] } : {}),
      ...(entry.environments ? { environments: entry.environments as string[] } : {}),
      ...(entry.outcomes ? { outcomes: entry.outcomes as NotificationOutcome[] } : {}),
    };
    const sink: SinkConfig = { name, type, route, timeoutMs: (entry.timeoutMs as number | undefined) ?? DEFAULT_TIMEOUT_MS, settings: undefined };
    Object.defineProperty(sink, 'settings', { value: settings, enumerable: false });
    out.push(sink);
  });
  if (diagnostics.length) return { diagnostics: sortDiagnostics(diagnostics) };
  const config: NotifyConfig = {
    file,
    ...(raw.webViewUrl ? { webViewUrl: raw.webViewUrl } : {}),
    ...(raw.source ? { source: raw.source } : {}),
    ...(raw.queueSize ? { queueSize: raw.queueSize } : {}),
    sinks: out,
    secrets: [],
  };
  Object.defineProperty(config, 'secrets', { value: secrets, enumerable: false });
  return { config, diagnostics };
}

/** Reads a sink's secrets from its three forms (`x`, `xFile`, `xEnv`), and reports what is wrong with them. */
function resolveContext(
  entry: Record<string, unknown>,
  pointer: string,
  reader: Parameters<typeof readSecret>[1],
  secrets: string[],
  problem: (at: string, code: string, message: string, hint?: string, key?: boolean) => void,
): ResolveContext {
  return {
    pointer,
    problem: (at, code, message, hint) => problem(at, code, message, hint),
    secret(obj, field, opts) {
      const at = opts.at ?? '';
      const forms: Array<{ key: string; form: SecretForm }> = [];
      if (typeof obj[field] === 'string') forms.push({ key: field, form: { form: 'plain', value: obj[field] } });
      if (typeof obj[`${field}File`] === 'string') forms.push({ key: `${field}File`, form: { form: 'file', path: obj[`${field}File`] as string } });
      if (typeof obj[`${field}Env`] === 'string') forms.push({ key: `${field}Env`, form: { form: 'env', name: obj[`${field}Env`] as string } });
      if (forms.length > 1) {
        problem(`${at}/${forms[1]!.key}`, 'notify-secret-twice', `${forms.map((f) => f.key).join(' and ')} both give ${field}`, 'keep one of them', true);
        return undefined;
      }
      const given = forms[0];
      if (!given) {
        if (opts.required) problem(at, 'notify-missing-field', `${field} is missing`, hint(field, opts.plain));
        return undefined;
      }
      if (given.form.form === 'plain' && opts.plain === 'never') {
        problem(
          `${at}/${given.key}`,
          'notify-secret-in-config',
          `${field} holds a credential and may not be written in the config`,
          hint(field, 'never'),
          true,
        );
        return undefined;
      }
      const read = readSecret(given.form, reader);
      if ('problem' in read) {
        problem(`${at}/${given.key}`, 'notify-secret-unreadable', `${field}: ${read.problem}`, read.hint);
        return undefined;
      }
      if (opts.plain === 'url' || field === 'url') {
        const bad = urlProblem(read.value, opts.plain, given.form.form === 'plain');
        if (bad) {
          const where =
            given.form.form === 'plain' ? 'the URL' : given.form.form === 'file' ? `the URL in ${given.form.path}` : `the URL in ${given.form.name}`;
          problem(`${at}/${given.key}`, 'notify-bad-url', `${where} ${bad.message}`, bad.hint);
          return undefined;
        }
      }
      if (given.form.form !== 'plain') secrets.push(read.value);
      return read.value;
    },
  };
}

function hint(field: string, plain: PlainValue): string {
  const forms = `${field}File: /path/to/file, or ${field}Env: VARIABLE`;
  return plain === 'never' ? `give ${forms} (a credential is never written in the config)` : `give ${field}, or ${forms}`;
}

/** The offset of the node at a path (of its key with `key`), else of its deepest ancestor written. */
function offsetOf(doc: Document, segments: readonly string[], key: boolean): number {
  const { isMap, isPair, isScalar, isSeq } = yamlPackage();
  let node = doc.contents as Node | null;
  let keyNode: Node | undefined;
  for (const seg of segments) {
    let next: Node | undefined;
    keyNode = undefined;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (pair) {
        keyNode = pair.key as Node;
        next = (pair.value as Node | null) ?? keyNode;
      }
    } else if (node && isSeq(node)) {
      next = node.items[Number(seg)] as Node | undefined;
    }
    if (!next) return node?.range?.[0] ?? 0;
    node = next;
  }
  if (key && keyNode?.range) return keyNode.range[0];
  return node?.range?.[0] ?? 0;
}
