import { Command, Option } from 'commander';
import { envOption, reportSkipped } from '../env-option.js';
import { DIAGNOSTIC_FORMATS, EXIT, formatDiagnostics, type DiagnosticFormat, type Io } from '../output.js';

interface RenderFlags {
  out?: string;
  check: boolean;
  app?: string;
  env?: string;
  format: DiagnosticFormat;
}

export function renderCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('render')
    .description(
      'render the manifest bundle: <out>/<app>/NN-<phase>/MM-<kind>-<name>.yaml and <out>/<app>.plan.json; ' +
        "an environment's variant at <out>/<env>/<app>/, or with --env at <out>/<app>/",
    )
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .option('-o, --out <dir>', 'bundle directory (one transaction, under a lock; only what kubemin wrote there is replaced); without it, print one YAML stream')
    .option('--check', 'do not write: exit 1 and list the files when <out> differs from what would be rendered', false)
    .option('--app <name>', 'only this application')
    .addOption(envOption('written where apps without environments are'))
    .addOption(new Option('--format <format>', 'format of problems').choices(DIAGNOSTIC_FORMATS).default('text'))
    .action(async (paths: string[], opts: RenderFlags) => {
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
          (io.product ?? io.stdout)(outcome.text);
          setExit(EXIT.ok);
          return;
        case 'written': {
          const n = new Set(compiled.apps.map((a) => a.name)).size;
          const variants = compiled.apps.filter((a) => a.environment).length;
          const changed = outcome.diff.apps.length;
          const what = `${n} application(s)${variants && !opts.env ? ` (${variants} environment variants)` : ''}`;
          io.stderr(`rendered ${what} into ${opts.out}${changed ? ` (${changed} changed)` : ' (no changes)'}\n`);
          setExit(EXIT.ok);
          return;
        }
        case 'checked': {
          if (!outcome.diff.changes.length) {
            io.stderr(`${opts.out} is up to date\n`);
            setExit(EXIT.ok);
            return;
          }
          const mark = { added: '+', changed: '~', removed: '-' } as const;
          for (const c of outcome.diff.changes) io.stdout(`${mark[c.change]} ${c.path}\n`);
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
