import { Command, Option } from 'commander';
import { envOption, reportSkipped } from '../env-option.js';
import { DIAGNOSTIC_FORMATS, EXIT, formatDiagnostics, type DiagnosticFormat, type Io } from '../output.js';
import { formatStructured, OUTPUT_FORMATS, type OutputFormat } from '../output-format.js';

interface RenderFlags {
  out?: string;
  output?: string;
  check: boolean;
  app?: string;
  env?: string;
  format: DiagnosticFormat;
}

/**
 * `-o` is the output format, as on every command; it was the bundle directory before `--out`. A
 * value that is no format, given without `--out`, is still taken as the directory, with a warning.
 */
function outputAndOut(io: Io, opts: RenderFlags): { output?: OutputFormat; out?: string } | string {
  const given = opts.output;
  if (given === undefined || (OUTPUT_FORMATS as readonly string[]).includes(given)) {
    const output = given as OutputFormat | undefined;
    if (output === 'text' && opts.out === undefined) return '-o text: the manifests are printed as yaml or json; text is for --out (with or without --check)';
    return { ...(output ? { output } : {}), ...(opts.out !== undefined ? { out: opts.out } : {}) };
  }
  if (opts.out !== undefined) return `-o ${given}: not an output format (${OUTPUT_FORMATS.join(', ')})`;
  io.stderr(`kubemin render: -o ${given} as the bundle directory is deprecated: -o is the output format (${OUTPUT_FORMATS.join(', ')}); use --out ${given}\n`);
  return { out: given };
}

export function renderCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('render')
    .description(
      'render the manifest bundle: <out>/<app>/NN-<phase>/MM-<kind>-<name>.yaml and <out>/<app>.plan.json; ' +
        "an environment's variant at <out>/<env>/<app>/, or with --env at <out>/<app>/",
    )
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .option('--out <dir>', 'bundle directory (one transaction, under a lock; only what kubemin wrote there is replaced); without it, print the manifests')
    .option('--check', 'do not write: exit 1 and list the files when <out> differs from what would be rendered', false)
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format: yaml (default) or json for the manifests; text (default), json or yaml for what --out and --check did',
      )
        .choices(OUTPUT_FORMATS)
        // Not checked here: a value that is no format may still be the directory of before (outputAndOut).
        .argParser((value: string) => value),
    )
    .option('--app <name>', 'only this application')
    .addOption(envOption('written where apps without environments are'))
    .addOption(new Option('--format <format>', 'format of problems').choices(DIAGNOSTIC_FORMATS).default('text'))
    .action(async (paths: string[], flags: RenderFlags) => {
      const chosen = outputAndOut(io, flags);
      if (typeof chosen === 'string') {
        io.stderr(`kubemin render: ${chosen}\n`);
        setExit(EXIT.error);
        return;
      }
      const opts = { ...flags, out: chosen.out };
      const output = chosen.output;
      if (opts.check && !opts.out) {
        io.stderr('--check needs --out <dir>: the directory to compare with\n');
        setExit(EXIT.error);
        return;
      }
      const { render } = await import('../../operations/render.js');
      const { describeForeign } = await import('../../bundle/bundle-errors.js');
      const { compiled, outcome } = await render({ paths, out: opts.out, check: opts.check, app: opts.app, env: opts.env, secrets: io.secrets });
      if (compiled.diagnostics.length) io.stderr(formatDiagnostics(opts.format, compiled.diagnostics, compiled.sources, io.color));
      reportSkipped(io, compiled.skipped, opts.env, 'rendered');
      switch (outcome.kind) {
        case 'no-specs':
          io.stderr(`no kubemin.yaml or *.kubemin.yaml found under ${paths.join(', ')}\n`);
          setExit(EXIT.problems);
          return;
        case 'invalid':
          io.stderr('nothing was rendered\n');
          setExit(EXIT.problems);
          return;
        case 'no-app':
          if (!compiled.skipped.length) io.stderr(`no application named "${outcome.app}": nothing was rendered\n`);
          setExit(EXIT.error);
          return;
        case 'stream':
          (io.product ?? io.stdout)(
            output === 'json'
              ? formatStructured('json', {
                  apiVersion: 'v1',
                  kind: 'List',
                  items: compiled.apps.flatMap((a) => a.phases.flatMap((p) => p.objects.map((o) => o.object))),
                })
              : outcome.text,
          );
          setExit(EXIT.ok);
          return;
        case 'written': {
          const n = new Set(compiled.apps.map((a) => a.name)).size;
          const variants = compiled.apps.filter((a) => a.environment).length;
          const changed = outcome.diff.apps.length;
          const what = `${n} application(s)${variants && !opts.env ? ` (${variants} environment variants)` : ''}`;
          io.stderr(`rendered ${what} into ${opts.out}${changed ? ` (${changed} changed)` : ' (no changes)'}\n`);
          if (output && output !== 'text')
            io.stdout(formatStructured(output, { out: opts.out, written: true, changes: outcome.diff.changes, changedApps: outcome.diff.apps }));
          setExit(EXIT.ok);
          return;
        }
        case 'checked': {
          if (output && output !== 'text') {
            const { changes, apps, foreign } = outcome.diff;
            io.stdout(formatStructured(output, { out: opts.out, upToDate: !changes.length, changes, changedApps: apps, foreign }));
          }
          if (!outcome.diff.changes.length) {
            io.stderr(`${opts.out} is up to date\n`);
            setExit(EXIT.ok);
            return;
          }
          const mark = { added: '+', changed: '~', removed: '-' } as const;
          if (!output || output === 'text') for (const c of outcome.diff.changes) io.stdout(`${mark[c.change]} ${c.path}\n`);
          const differ = `${opts.out} is out of date: ${outcome.diff.changes.length} file(s) differ`;
          if (outcome.diff.foreign.length) {
            const lines = describeForeign(opts.out!, outcome.diff.foreign).map((l) => `  ${l}\n`);
            io.stderr(
              `${differ}, and kubemin render would refuse to write it: it does not replace or delete what it did not write. Move these away first:\n${lines.join('')}`,
            );
          } else {
            io.stderr(`${differ}; run kubemin render --out ${opts.out}\n`);
          }
          setExit(EXIT.problems);
          return;
        }
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    });
}
