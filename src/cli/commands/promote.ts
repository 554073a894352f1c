import { Command } from 'commander';
import { EXIT, formatDiagnostics, noSpecsFound, type Io } from '../output.js';

interface PromoteFlags {
  from: string;
  to: string;
  component?: string[];
  fields?: string[];
  dryRun: boolean;
}

const list = (v: string, prev: string[] = []): string[] => [...prev, v];

export function promoteCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('promote')
    .description(
      "copy fields (default: image) of an app's components from one environment to another: edits the target's overrides in the spec file, in place, and prints the diff",
    )
    .argument('<app>', 'the application (metadata.name)')
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .requiredOption('--from <env>', 'the environment whose values are promoted')
    .requiredOption('--to <env>', 'the environment whose overrides are changed')
    .option('--component <name>', 'only this component (repeatable, or a comma-separated list; default: every component)', list)
    .option(
      '--fields <fields>',
      'the fields to promote, comma-separated (repeatable): image, replicas, env, env.NAME, traits.autoscale... (default: image)',
      list,
    )
    .option('--dry-run', 'print the diff, write nothing', false)
    .action(async (app: string, paths: string[], flags: PromoteFlags) => {
      const { promote } = await import('../../operations/promote.js');
      const { formatPromotion } = await import('../../promote/format-promotion.js');
      const { colorDiff } = await import('../../promote/spec-file-diff.js');
      const components = flags.component
        ?.flatMap((c) => c.split(','))
        .map((c) => c.trim())
        .filter(Boolean);
      const { compiled, outcome } = await promote({
        app,
        paths,
        from: flags.from,
        to: flags.to,
        ...(components?.length ? { components } : {}),
        fields: flags.fields ?? ['image'],
        dryRun: flags.dryRun,
        ...(io.secrets ? { secrets: io.secrets } : {}),
      });
      if (compiled.diagnostics.length) io.stderr(formatDiagnostics('text', compiled.diagnostics, compiled.sources, io.color));
      switch (outcome.kind) {
        case 'no-specs':
          io.stderr(`${noSpecsFound(paths)}: nothing was promoted\n`);
          setExit(EXIT.problems);
          return;
        case 'invalid':
          io.stderr('specs are invalid: nothing was promoted\n');
          setExit(EXIT.problems);
          return;
        case 'nothing':
          io.stderr(formatPromotion(outcome.plan));
          io.stderr(`nothing to promote from ${outcome.plan.from.name} to ${outcome.plan.to.name}: ${outcome.file} is unchanged\n`);
          setExit(EXIT.ok);
          return;
        case 'would-not-compile':
          io.stderr(formatPromotion(outcome.plan));
          io.stdout(io.stdoutColor ? colorDiff(outcome.diff) : outcome.diff);
          io.stderr(`${outcome.file} would not compile once promoted (above): nothing was written\n`);
          setExit(EXIT.problems);
          return;
        case 'promoted': {
          io.stderr(formatPromotion(outcome.plan));
          io.stdout(io.stdoutColor ? colorDiff(outcome.diff) : outcome.diff);
          const n = outcome.plan.changes.length;
          io.stderr(
            outcome.written
              ? `promoted ${n} field(s) from ${outcome.plan.from.name} to ${outcome.plan.to.name}: wrote ${outcome.file}\n`
              : `dry run: nothing was written (${n} field(s) to promote into ${outcome.file})\n`,
          );
          setExit(EXIT.ok);
          return;
        }
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    });
}
