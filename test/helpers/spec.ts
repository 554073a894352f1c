import { compile, type CompileResult } from '../../src/compile.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';

/** Compiles one application written as a JS object (the test reads like the YAML it stands for). */
export function compileApp(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): CompileResult {
  const doc = { apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name: 'app', namespace: 'ns', ...meta }, spec };
  return compile([{ path: 'kubemin.yaml', text: emitYaml(doc as never) }]);
}

export function objectsOf(result: CompileResult): Array<Record<string, any>> {
  return result.apps.flatMap((a) => a.phases.flatMap((p) => p.objects.map((o) => o.object as Record<string, any>)));
}

export function find(result: CompileResult, kind: string, name?: string): Record<string, any> {
  const o = objectsOf(result).find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind}/${name ?? '*'}; diagnostics: ${JSON.stringify(result.diagnostics)}`);
  return o;
}

export function codes(result: CompileResult): string[] {
  return result.diagnostics.map((d) => d.code);
}
