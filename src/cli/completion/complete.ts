import type { Command, Option } from 'commander';
import type { SpecNames } from '../../operations/spec-names.js';

/**
 * What `kubemin __complete <words...>` prints, one candidate per line, `candidate<TAB>description`
 * (the shells' scripts, completion-scripts.ts, show or drop the description). The words are those
 * after `kubemin`, the last one the word being completed (maybe empty). A first line `:files` asks
 * the shell for file names instead; nothing is printed when there is nothing to offer.
 */
const FILES = ':files';

/** Options whose values are names of the specs here. */
const APP_OPTIONS = new Set(['--app']);
const ENV_OPTIONS = new Set(['--env', '--from', '--to']);

export interface CompleteContext {
  /** The app and environment names of the specs under these paths (the command's, as typed; none: the working directory); read only when asked for. */
  readonly names: (paths: readonly string[]) => Promise<SpecNames>;
  /** The context names of the kubeconfig given (--kubeconfig as typed), else of the one kubectl would read. */
  readonly contexts: (kubeconfig: string | undefined) => Promise<readonly string[]>;
}

/** A candidate and the first clause of its description (up to a `;`), on one line. */
function line(candidate: string, description?: string): string {
  const short = description?.split('; ')[0]!.replace(/\s+/g, ' ').trim();
  return short ? `${candidate}\t${short.length > 80 ? `${short.slice(0, 79)}…` : short}` : candidate;
}

const visibleCommands = (cmd: Command): Command[] => cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);

const commandLines = (cmd: Command): string[] => visibleCommands(cmd).map((c) => line(c.name(), c.description()));

const keepPrefix = (lines: readonly string[], prefix: string): string[] => lines.filter((l) => l.startsWith(prefix));

function findOption(cmd: Command, flag: string): Option | undefined {
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

function takesValue(o: Option): boolean {
  return o.required || o.optional;
}

function optionLines(cmd: Command, prefix: string): string[] {
  const out: string[] = [];
  for (const o of cmd.options) {
    if (o.hidden) continue;
    for (const flag of [o.long, o.short])
      if (flag && flag.startsWith(prefix) && (flag.startsWith('--') || prefix !== '-' || !o.long)) out.push(line(flag, o.description));
  }
  if ('--help'.startsWith(prefix)) out.push(line('--help', 'display help for command'));
  return out;
}

async function valuesOf(o: Option, names: () => Promise<SpecNames>, contexts: () => Promise<readonly string[]>): Promise<string[] | typeof FILES> {
  if (o.argChoices) return [...o.argChoices];
  if (o.long === '--context') return [...(await contexts())];
  if (o.long && APP_OPTIONS.has(o.long)) return [...(await names()).apps];
  if (o.long && ENV_OPTIONS.has(o.long)) return [...(await names()).environments];
  return FILES;
}

/** The words after the command that are its arguments (not options, nor their values). */
function positionals(cmd: Command, words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '=') continue;
    if (w.startsWith('-')) {
      const o = findOption(cmd, w);
      // Its value: the next word, or the one after a `=` that bash split off.
      if (o && takesValue(o) && !w.includes('=')) i += words[i + 1] === '=' ? 2 : 1;
      continue;
    }
    out.push(w);
  }
  return out;
}

/** Candidates for the last of `words`, given the program's commands and options. */
export async function complete(program: Command, words: readonly string[], ctx: CompleteContext): Promise<string[]> {
  const cur = words.length ? words[words.length - 1]! : '';
  const before = words.slice(0, -1);
  // `kubemin help <command>`
  if (before.length === 1 && before[0] === 'help') return keepPrefix(commandLines(program), cur);
  // The command (and subcommand) named before the word being completed; the words after it.
  let cmd = program;
  let i = 0;
  for (; i < before.length; i++) {
    const w = before[i]!;
    const sub = w.startsWith('-') ? undefined : cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!sub) break;
    cmd = sub;
  }
  if (cmd === program && i < before.length) return [];
  const rest = before.slice(i);
  // The names of the specs under the paths typed for the command (`diff apps/ --app <TAB>`), else here.
  const typed = positionals(cmd, rest);
  const paths = typed.filter((_, n) => cmd.registeredArguments[Math.min(n, cmd.registeredArguments.length - 1)]?.name() === 'paths');
  const names = (): Promise<SpecNames> => ctx.names(paths);
  const kubeconfigAt = rest.lastIndexOf('--kubeconfig');
  const contexts = (): Promise<readonly string[]> => ctx.contexts(kubeconfigAt >= 0 ? rest[kubeconfigAt + 1] : undefined);
  // bash splits `--env=st` into `--env`, `=`, `st`: the value of the option before the `=`.
  const prev = before[before.length - 1] === '=' && before.length >= 2 ? before[before.length - 2] : before[before.length - 1];
  const keep = (lines: readonly string[]): string[] => keepPrefix(lines, cur);

  // `--opt=value`: the value, written back with its option.
  const eq = /^(--[^=]+)=(.*)$/.exec(cur);
  if (eq) {
    const o = findOption(cmd, eq[1]!);
    if (!o || !takesValue(o)) return [];
    const values = await valuesOf(o, names, contexts);
    return values === FILES ? [FILES] : keep(values.map((v) => `${eq[1]}=${v}`));
  }
  // The value of the option just before.
  const prevOption = prev?.startsWith('-') ? findOption(cmd, prev) : undefined;
  if (prevOption && takesValue(prevOption)) {
    const values = await valuesOf(prevOption, names, contexts);
    return values === FILES ? [FILES] : keep(values);
  }
  if (cur.startsWith('-')) return keep(optionLines(cmd, cur));
  // A command or subcommand.
  if (visibleCommands(cmd).length && !rest.length) return keep([...commandLines(cmd), ...(cmd === program ? [line('help', 'display help for command')] : [])]);
  // A positional argument: which one is it?
  const index = typed.length;
  const args = cmd.registeredArguments;
  const last = args[args.length - 1];
  const arg = index < args.length ? args[index] : last?.variadic ? last : undefined;
  if (!arg) return [];
  if (arg.argChoices) return keep(arg.argChoices);
  if (arg.name() === 'app') return keep((await names()).apps);
  return [FILES];
}
