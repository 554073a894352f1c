import { dedupeDiagnostics, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { expandApp } from './expand/expand-app.js';
import type { PendingDiagnostic } from './expand/types.js';
import type { K8sObject } from './k8s/types.js';
import { disabledReferences } from './environments/disabled-references.js';
import { environmentVariant } from './environments/merge-environment.js';
import { acrossApps } from './validate/across-apps.js';
import { DEFAULT_PARSE_LIMITS, parseSpecFile, type ParseLimits, type SpecDocument } from './load/parse-spec-file.js';
import type { ReadFiles } from './load/referenced-files.js';
import { SourceSet } from './load/source-set.js';
import { ReferencedFileSet } from './load/spec-files.js';
import type { SpecFiles } from './expand/types.js';
import type { SourceFile, SourceRef } from './load/source.js';
import { planPhases, type Phase } from './plan/plan-phases.js';
import { type Registry } from './plugins/registry.js';
import { builtinRegistry } from './plugins/builtin.js';
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
  /** The environment this is the variant for (apps with environments only): see environments/app-key.ts. */
  readonly environment?: string;
  /** The environment's kubeconfig context, if it names one. */
  readonly cluster?: string;
  readonly namespace: string;
  readonly source: SourceRef;
  readonly phases: readonly BundlePhase[];
  /** The secret values of its spec file (a plugin's secret fields included): scrubbed from others' messages about it. */
  readonly secrets?: readonly string[];
  /** Each component's `dependsOn` (the environment's patches applied), for pictures of the workflow; components without one are absent. */
  readonly dependsOn?: Readonly<Record<string, readonly string[]>>;
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
      for (const app of compileDocument(doc, registry, validator, diagnostics, named.for(file.path))) {
        apps.push({ ...app, ...(found.values.length ? { secrets: found.values } : {}), doc });
      }
    }
  }
  diagnostics.push(...named.diagnostics, ...acrossApps(apps));
  secrets.push(...named.secrets);
  const all = sortDiagnostics(dedupeDiagnostics(scrubMessages(diagnostics, secrets)));
  const failed = all.some((d) => d.severity === 'error');
  return {
    apps: failed ? [] : apps.map(({ doc: _doc, ...app }) => app).sort((a, b) => cmp(a.name, b.name) || cmp(a.environment ?? '', b.environment ?? '')),
    diagnostics: all,
    sources,
    secrets: [...new Set(secrets)].sort(),
  };
}

/** Where each stage's problems go: placed in the document (and, for an environment, said so). */
type Place = (pending: readonly PendingDiagnostic[]) => Diagnostic[];

/**
 * One document: its application, or with environments one variant per environment. The base is
 * checked as written first; each environment's merged spec is then checked like a hand-written
 * one, its problems placed where the environment (or the base) wrote the value and naming the
 * environment; a base problem is said once, not once per environment.
 */
function compileDocument(doc: SpecDocument, registry: Registry, validator: SchemaValidator, diagnostics: Diagnostic[], files: SpecFiles): CompiledApp[] {
  const place: Place = (pending) => pending.map((p) => locate(doc, p));
  const spec = doc.value as AppSpec;
  const before = diagnostics.length;
  const base = compileSpec(doc, spec, { registry, validator, files, place }, diagnostics);
  if (!base) return [];
  const environments = spec.spec.environments;
  if (!environments) return [base];
  const said = new Set(diagnostics.slice(before).map((d) => `${d.code}\0${d.pointer}\0${d.message}`));
  const out: CompiledApp[] = [];
  environments.forEach((_env, i) => {
    const variant = environmentVariant(spec, i, registry.stepTypes, registry.traits);
    const placeIn: Place = (pending) =>
      pending
        .map((p) => {
          const related = [
            ...(p.related ?? []).map((r) => ({ ...r, pointer: variant.origin(r.pointer) })),
            ...(p.code === 'missing-field' ? variant.removed(p.pointer).map((pointer) => ({ message: 'removed in this environment', pointer })) : []),
          ];
          return { ...p, pointer: variant.origin(p.pointer), ...(related.length ? { related } : {}) };
        })
        .filter((p) => !said.has(`${p.code}\0${p.pointer}\0${p.message}`))
        .map((p) => locate(doc, { ...p, message: `environment "${variant.name}": ${p.message}` }));
    const refused = disabledReferences(variant, registry.traits);
    diagnostics.push(...placeIn(refused));
    if (refused.length) return;
    const app = compileSpec(doc, variant.spec, { registry, validator, files, place: placeIn, origin: variant.origin }, diagnostics);
    if (app)
      out.push({
        ...app,
        environment: variant.name,
        ...(variant.cluster ? { cluster: variant.cluster } : {}),
        source: { ...app.source, pointer: `/spec/environments/${i}`, ...doc.locator.locate(doc.index, doc.value, `/spec/environments/${i}`) },
      });
  });
  return out.length === environments.length ? out : [];
}

interface CompileContext {
  readonly registry: Registry;
  readonly validator: SchemaValidator;
  readonly files: SpecFiles;
  readonly place: Place;
  /** Where a value of `spec` is written in the document (an environment's merged spec is not the document). */
  readonly origin?: (pointer: string) => string;
}

/** Schema, rules, expansion, object checks, plan: one application, its problems placed by `ctx.place`. */
function compileSpec(doc: SpecDocument, spec: AppSpec, ctx: CompileContext, diagnostics: Diagnostic[]): CompiledApp | undefined {
  const { registry, place } = ctx;
  const schema = ctx.validator(spec);
  diagnostics.push(...place(schema.diagnostics));
  // The rules whose parts of the document are valid run even when others are not: every
  // problem of a file at once. Nothing half-valid is expanded.
  const rules = runRules(spec, registry, schema.invalid);
  diagnostics.push(...place(rules.problems));
  if (schema.diagnostics.length || rules.problems.some((p) => p.severity === 'error')) return undefined;

  const expanded = expandApp(spec, registry, { files: ctx.files });
  diagnostics.push(...place(expanded.diagnostics));
  if (expanded.diagnostics.some((p) => p.severity === 'error')) return undefined;
  // What the API server would refuse in the objects themselves (whatever produced them).
  const refused = checkObjects(spec, expanded.objects, { traits: registry.traits });
  diagnostics.push(...place(refused));
  if (refused.length) return undefined;

  const phases = planPhases(spec, expanded, rules.plan());
  const ref = (merged: string): SourceRef => {
    const pointer = ctx.origin ? ctx.origin(merged) : merged;
    return { file: doc.file, pointer, ...doc.locator.locate(doc.index, doc.value, pointer) };
  };
  return {
    name: expanded.app.name,
    namespace: expanded.app.namespace,
    source: ref(''),
    dependsOn: Object.fromEntries(spec.spec.components.filter((c) => c.dependsOn?.length).map((c) => [c.name, [...c.dependsOn!]])),
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
