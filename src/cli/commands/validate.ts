import { Command, Option } from 'commander';
import { DIAGNOSTIC_FORMATS, EXIT, formatDiagnostics, noSpecsFound, type DiagnosticFormat, type Io } from '../output.js';

export function validateCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('validate')
    .description('check specs against the schema and the semantic rules; report every problem with file:line:col')
    .argument('[paths...]', 'files or directories to search for kubemin.yaml / *.kubemin.yaml', ['.'])
    .addOption(new Option('--format <format>', 'output format').choices(DIAGNOSTIC_FORMATS).default('text'))
    .option('--strict', 'count warnings as problems (exit 1)', false)
    .action(async (paths: string[], opts: { format: DiagnosticFormat; strict: boolean }) => {
      const { loadAndCompile } = await import('../../operations/load-and-compile.js');
      const result = await loadAndCompile({ paths, secrets: io.secrets });
      const problems = result.diagnostics.filter((d) => d.severity === 'error' || opts.strict);
      if (opts.format === 'text' && !result.diagnostics.length) {
        const apps = new Set(result.apps.map((a) => a.name)).size;
        const variants = result.apps.filter((a) => a.environment).length;
        io.stdout(`${result.fileCount} file(s), ${apps} application(s)${variants ? ` (${variants} environment variants)` : ''}: no problems found\n`);
      } else {
        const text = formatDiagnostics(opts.format, result.diagnostics, result.sources, io.color);
        (opts.format === 'text' ? io.stderr : io.stdout)(text);
      }
      if (result.fileCount === 0) io.stderr(`${noSpecsFound(paths)}\n`);
      setExit(problems.length || result.fileCount === 0 ? EXIT.problems : EXIT.ok);
    });
}
