import { dedupeDiagnostics, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { expandApp } from './expand/expand-app.js';
import type { PendingDiagnostic } from './expand/types.js';
import { objectRef, type K8sObject } from './k8s/types.js';
import { DEFAULT_PARSE_LIMITS, parseSpecFile, type ParseLimits, type SpecDocument } from './load/parse-spec-file.js';
import type { ReadFiles } from './load/referenced-files.js';
import { SourceSet } from './load/source-set.js';
import { ReferencedFileSet } from './load/spec-files.js';
import type { SpecFiles } from './expand/types.js';
import type { SourceFile, SourceRef } from './load/source.js';
import { planPhases, type Phase } from './plan/plan-phases.js';
import { builtinRegistry, type Registry } from './registry.js';
import { buildSchema } from './spec/build-schema.js';
import { isUnder, sensitivePointers } from './spec/sensitive.js';
import { Redactor } from './secrets/redactor.js';
import { specSecrets } from './secrets/spec-secrets.js';
import type { AppSpec } from './spec/types.js';
import { createSchemaValidator, type SchemaValidator } from './validate/schema-validator.js';
import { checkObjects } from './validate/check-objects.js';
import { explainTrait } from './validate/explain-trait.js';
import { runRules } from './validate/run-rules.js';

/** An object of the bundle and the line that produced it. */
export interface BundleObject {
  readonly object: K8sObject;
  readonly component: string | undefined;
  readonly source: SourceRef;
}

/** A phase of the bundle: the planned phase, with each object's source resolved to file:line. */
export interface BundlePhase extends Omit<Phase, 'objects'> {
  readonly objects: readonly BundleObject[];
}

/** One application, compiled: its phases in order, each with its objects in apply order. */
export interface CompiledApp {
  readonly name: string;
  readonly namespace: string;
  readonly source: SourceRef;
  readonly phases: readonly BundlePhase[];
  /** The secret values of its spec file (a plugin's secret fields included): scrubbed from others' messages about it. */
  readonly secrets?: readonly string[];
}

export interface CompileResult {
  /** Sorted by name. Empty when any error was found: nothing half-valid is ever rendered. */
  readonly apps: CompiledApp[];
  /** Every problem found, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
  /** For code frames (secret values masked). */
  readonly sources: SourceSet;
  /** The secret values of the specs, valid or not: no output may show them (Redactor). */
  readonly secrets: readonly string[];
}

export interface CompileOptions {
  /** The tables: one for every file, or the one for each file (plugins are declared per directory tree). */
  readonly registry?: Registry | ((file: string) => Registry);
  readonly limits?: ParseLimits;
  /** The files the specs name (raw manifests), read by the load edge (see load/referenced-files.ts). */
  readonly files?: ReadFiles;
}

/**
 * The compiler: spec files in, applications out. Pure: no file system, no clock, no cluster.
 * Each document is parsed, checked against the schema and by the semantic rules (those whose
 * parts are valid run even when the schema found errors elsewhere), then expanded, its objects
 * checked as the API server would, and planned; every stage's problems are collected, and
 * expansion only sees documents the checks accepted.
 */
export function compile(files: readonly SourceFile[], options: CompileOptions = {}): CompileResult {
  const given = options.registry;
  const registryFor = typeof given === 'function' ? given : () => given ?? builtinRegistry;
  const sources = new SourceSet();
  const diagnostics: Diagnostic[] = [];
  const apps: Array<CompiledApp & { doc: SpecDocument }> = [];
  const secrets: string[] = [];
  const named = new ReferencedFileSet(options.files ?? new Map(), sources, options.limits ?? DEFAULT_PARSE_LIMITS);

  for (const file of [...files].sort((a, b) => cmp(a.path, b.path))) {
    const registry = registryFor(file.path);
    const validator = validatorFor(registry);
    const parsed = parseSpecFile(file, options.limits ?? DEFAULT_PARSE_LIMITS);
    diagnostics.push(...parsed.diagnostics);
    sources.add(parsed.locator);
    const found = specSecrets(parsed, registry);
    sources.add(parsed.locator, found.ranges);
    secrets.push(...found.values);
    for (const doc of parsed.documents) {
      const app = compileDocument(doc, registry, validator, diagnostics, named.for(file.path));
      if (app) apps.push({ ...app, ...(found.values.length ? { secrets: found.values } : {}), doc });
    }
  }
  diagnostics.push(...named.diagnostics, ...duplicateApps(apps), ...crossAppCollisions(apps));
  secrets.push(...named.secrets);
  const all = sortDiagnostics(dedupeDiagnostics(scrubMessages(diagnostics, secrets)));
  const failed = all.some((d) => d.severity === 'error');
  return {
    apps: failed ? [] : apps.map(({ doc: _doc, ...app }) => app).sort((a, b) => cmp(a.name, b.name)),
    diagnostics: all,
    sources,
    secrets: [...new Set(secrets)].sort(),
  };
}

function compileDocument(
  doc: SpecDocument,
  registry: Registry,
  validator: SchemaValidator,
  diagnostics: Diagnostic[],
  files: SpecFiles,
): CompiledApp | undefined {
  const place = (pending: PendingDiagnostic[]): Diagnostic[] => pending.map((p) => locate(doc, p));
  const schema = validator(doc.value);
  diagnostics.push(...place(schema.diagnostics));
  // The rules whose parts of the document are valid run even when others are not: every
  // problem of a file at once. Nothing half-valid is expanded.
  const spec = doc.value as AppSpec;
  const rules = runRules(spec, registry, schema.invalid);
  diagnostics.push(...place(rules.problems));
  if (schema.diagnostics.length || rules.problems.some((p) => p.severity === 'error')) return undefined;

  const expanded = expandApp(spec, registry, { files });
  diagnostics.push(...place(expanded.diagnostics));
  if (expanded.diagnostics.some((p) => p.severity === 'error')) return undefined;
  // What the API server would refuse in the objects themselves (whatever produced them).
  const refused = checkObjects(spec, expanded.objects, { traits: registry.traits });
  diagnostics.push(...place(refused));
  if (refused.length) return undefined;

  const phases = planPhases(spec, expanded, rules.plan());
  const ref = (pointer: string): SourceRef => ({ file: doc.file, pointer, ...doc.locator.locate(doc.index, doc.value, pointer) });
  return {
    name: expanded.app.name,
    namespace: expanded.app.namespace,
    source: ref(''),
    phases: phases.map((p) => ({
      ...p,
      objects: p.objects.map((o) => ({ object: o.object, component: o.component, source: ref(o.pointer) })),
    })),
  };
}

function locate(doc: SpecDocument, p: PendingDiagnostic): Diagnostic {
  const pos = doc.locator.locate(doc.index, doc.value, p.pointer, { key: p.atKey ?? false });
  return {
    severity: p.severity,
    code: p.code,
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
    file: doc.file,
    pointer: p.pointer,
    ...pos,
    ...(p.related?.length
      ? {
          related: p.related.map((r) => ({
            message: r.message,
            file: doc.file,
            ...doc.locator.locate(doc.index, doc.value, r.pointer),
          })),
        }
      : {}),
  };
}

function duplicateApps(apps: ReadonlyArray<CompiledApp & { doc: SpecDocument }>): Diagnostic[] {
  const first = new Map<string, CompiledApp & { doc: SpecDocument }>();
  const out: Diagnostic[] = [];
  for (const app of apps) {
    const prev = first.get(app.name);
    if (!prev) {
      first.set(app.name, app);
      continue;
    }
    const at = app.doc.locator.locate(app.doc.index, app.doc.value, '/metadata/name');
    out.push({
      severity: 'error',
      code: 'duplicate-app',
      message: `a second application is named "${app.name}"`,
      hint: 'application names must be unique in a repository: they name the bundle directories and the inventory',
      file: app.source.file,
      pointer: '/metadata/name',
      ...at,
      related: [{ message: 'first defined here', file: prev.source.file, ...prev.doc.locator.locate(prev.doc.index, prev.doc.value, '/metadata/name') }],
    });
  }
  return out;
}

/** Two apps that produce the same object would overwrite (and later prune) each other's. */
function crossAppCollisions(apps: readonly CompiledApp[]): Diagnostic[] {
  const owner = new Map<string, { app: string; object: BundleObject }>();
  const out: Diagnostic[] = [];
  for (const app of apps) {
    for (const phase of app.phases) {
      for (const o of phase.objects) {
        const key = `${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`;
        const prev = owner.get(key);
        if (!prev) {
          owner.set(key, { app: app.name, object: o });
          continue;
        }
        if (prev.app === app.name) continue;
        out.push({
          severity: 'error',
          code: 'object-name-collision',
          message: `${objectRef(o.object)} is produced by application "${prev.app}" and by application "${app.name}"`,
          hint: 'objects belong to one application: rename the component, or deploy the apps into different namespaces',
          file: o.source.file,
          pointer: o.source.pointer,
          line: o.source.line,
          col: o.source.col,
          related: [{ message: `produced by "${prev.app}" here`, file: prev.object.source.file, line: prev.object.source.line, col: prev.object.source.col }],
        });
      }
    }
  }
  return out;
}

/**
 * No message shows a secret value, however short: where kubemin quotes one (a plugin's object
 * with a secret in a label, say) it is masked, and a plugin's message is someone else's text,
 * masked wherever a value stands quoted or alone.
 */
function scrubMessages(diagnostics: Diagnostic[], secrets: readonly string[]): Diagnostic[] {
  if (!secrets.length) return diagnostics;
  const redactor = new Redactor().addAll(secrets);
  return diagnostics.map((d) => {
    const message = d.code === 'plugin-failed' ? redactor.scrubForeign(d.message) : redactor.scrubMessage(d.message);
    const hint = d.hint === undefined ? undefined : redactor.scrubMessage(d.hint);
    return message === d.message && hint === d.hint ? d : { ...d, message, ...(hint === undefined ? {} : { hint }) };
  });
}

const validators = new WeakMap<Registry, SchemaValidator>();

function validatorFor(registry: Registry): SchemaValidator {
  let v = validators.get(registry);
  if (!v) {
    v = createSchemaValidator(buildSchema(registry), {
      explainTrait: (trait, component, nested) => explainTrait(registry, trait, component, nested),
      isSensitive: (root, pointer) => isUnder(pointer, sensitivePointers(root, registry)),
    });
    validators.set(registry, v);
  }
  return v;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
