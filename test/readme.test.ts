import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../src/plugins/builtin.js';
import { KIND_ORDER } from '../src/plan/kind-order.js';
import { cli, tempDir } from './helpers/cli.js';
import { REPO } from './helpers/tree.js';

/**
 * The README is the reference of the spec format and the CLI: what it lists must be what the code
 * has, both ways (nothing missing, nothing that does not exist), read from the README's own tables
 * and lists. Each check is a function of the README's text that returns its problems; each is
 * tried on the README and on a copy broken the way a README goes stale, where it must find one.
 */

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** What the CLI has, read from its help (the source CLI, in-process). */
interface Cli {
  /** Command name -> its help text. */
  readonly commands: ReadonlyMap<string, string>;
  /** Where `npx kubemin render examples --out <out>` wrote the bundle. */
  readonly rendered: string;
}

type Check = (readme: string, cli: Cli) => string[];

/** The text under `heading` (a whole line), up to the next heading of the same or a higher level. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const level = /^#+/.exec(heading)![0].length;
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The first cells, unquoted, of the rows of the table(s) in `text` whose first cell is `code`. */
function firstCells(text: string): string[] {
  return [...text.matchAll(/^\| `([^`|]+)` \|/gm)].map((m) => m[1]!);
}

/** What differs between what the README lists and what the code has, in order when `ordered`. */
function compare(what: string, listed: readonly string[], actual: readonly string[], ordered: boolean): string[] {
  const problems = [
    ...actual.filter((x) => !listed.includes(x)).map((x) => `${what}: ${x} is not in the README`),
    ...listed.filter((x) => !actual.includes(x)).map((x) => `${what}: the README lists ${x}, which does not exist`),
  ];
  if (problems.length === 0 && ordered && listed.join() !== actual.join()) problems.push(`${what}: the README has them in another order: ${listed.join(', ')}`);
  return problems;
}

/** Between `before` and `after` in the whole-space-flattened README (undefined when either is missing). */
function between(readme: string, before: string, after: string): string | undefined {
  const flat = readme.replace(/\s+/g, ' ');
  const start = flat.indexOf(before);
  if (start < 0) return undefined;
  const end = flat.indexOf(after, start + before.length);
  return end < 0 ? undefined : flat.slice(start + before.length, end);
}

const CHECKS: Readonly<Record<string, Check>> = {
  'the component types table has every type, as the registry orders them': (readme) =>
    compare('component types', firstCells(section(readme, '### Components')), [...builtinRegistry.componentTypes.keys()], true),

  'the traits table has every trait in the order they are applied': (readme) =>
    compare(
      'traits',
      firstCells(section(readme, '### Traits')),
      builtinRegistry.traits.map((t) => t.name),
      true,
    ),

  'the workflow section names every step type': (readme) =>
    compare(
      'step types',
      [...section(readme, '### Workflow and phases').matchAll(/type \(([a-z-]+)\)/g)].map((m) => m[1]!),
      [...builtinRegistry.stepTypes.keys()],
      false,
    ),

  'the validation section lists every semantic rule': (readme) => {
    const list = between(readme, 'every semantic problem (the rules in `src/validate/rules/`: ', ')');
    if (list === undefined) return ['the list of semantic rules is gone from "Validation"'];
    const listed = list.split(', ').map((x) => x.trim());
    // Listed as prose: `name-length` reads "name lengths".
    const spoken = (rule: string): string => rule.replace(/-/g, ' ');
    const match = (item: string): string | undefined => builtinRegistry.rules.map((r) => r.name).find((r) => item === spoken(r) || item === `${spoken(r)}s`);
    return compare(
      'semantic rules',
      listed.map((item) => match(item) ?? item),
      builtinRegistry.rules.map((r) => r.name),
      false,
    );
  },

  'the commands table has every command, with flags each command has': (readme, { commands }) => {
    const rows = [...section(readme, '## Commands').matchAll(/^\| `kubemin ([a-z-]+)((?:[^|\\]|\\.)*)\|/gm)].map((m) => ({ name: m[1]!, cell: m[2]! }));
    const problems = compare(
      'commands',
      rows.map((r) => r.name),
      [...commands.keys()],
      false,
    );
    for (const { name, cell } of rows) {
      const help = commands.get(name);
      if (help === undefined) continue;
      for (const [flag] of cell.matchAll(/--[a-z][a-z-]*/g)) {
        if (!new RegExp(`(^|[ ,])${flag}([ ,=]|$)`, 'm').test(help)) problems.push(`commands: kubemin ${name} has no ${flag}`);
      }
    }
    return problems;
  },

  'the kind order is the code’s': (readme) => {
    const list = between(readme, 'Within a phase, objects are ordered by kind: ', '; other kinds last');
    if (list === undefined) return ['the kind order is gone from "Workflow and phases"'];
    // The README calls both webhook configurations "webhooks", and leaves APIService out.
    const expected = [...new Set(KIND_ORDER.filter((k) => k !== 'APIService').map((k) => (k.endsWith('WebhookConfiguration') ? 'webhooks' : k)))];
    return compare('kind order', list.split(', '), expected, true);
  },

  'the set-up command renders the examples it names, into the files it names': (readme, { rendered }) => {
    const problems: string[] = [];
    if (!readme.includes('```sh\nnpm install && npx kubemin render examples --out rendered\n```')) problems.push('the set-up command is gone');
    const text = between(readme, 'npm install && npx kubemin render examples --out rendered', '```sh npm test ```');
    if (text === undefined) return [...problems, 'the set-up paragraph is gone'];
    const specs = readdirSync(join(REPO, 'examples'), { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)kubemin\.yaml$/.test(f));
    const named = [...text.matchAll(/`(examples\/[a-z0-9/-]+)`/g)].map((m) => m[1]!);
    problems.push(
      ...compare(
        'examples',
        named,
        specs.map((f) => `examples/${dirname(f)}`),
        false,
      ),
    );
    for (const [, path] of text.matchAll(/`rendered\/([^`]+)`/g))
      if (!existsSync(join(rendered, path!))) problems.push(`set-up: rendered/${path} was not written`);
    return problems;
  },

  'the defaults it gives for flags are the CLI’s': (readme, { commands }) => {
    const stated = [...readme.matchAll(/`(--[a-z][a-z-]*)` \((?:default )?`?([^`)]+)`?\)/g)].map((m) => ({ flag: m[1]!, value: m[2]! }));
    if (stated.length === 0) return ['no default of a flag is stated (`--flag` (value))'];
    const problems: string[] = [];
    for (const { flag, value } of stated) {
      const defaults = [...commands.values()].map((help) => helpDefault(help, flag)).filter((d) => d !== undefined);
      if (defaults.length === 0) problems.push(`defaults: no command has ${flag} with a default`);
      else if (!defaults.includes(value)) problems.push(`defaults: the README gives ${flag} (${value}), the CLI ${defaults.join(' or ')}`);
    }
    return problems;
  },

  'npm test is the test command, and CI runs it': (readme) => {
    const problems: string[] = [];
    if (!/```sh\nnpm test\n```/.test(readme)) problems.push('the test command is gone');
    if (!/\nnpm test\n$/.test(readFileSync(join(REPO, '.ci/run'), 'utf8'))) problems.push('.ci/run does not end with npm test');
    return problems;
  },
};

/** The default a command's help gives for `flag` (commander's `(default: "x")`, or a description's `(default: x; ...)`). */
function helpDefault(help: string, flag: string): string | undefined {
  const entry = new RegExp(`^ {2}(?:-[a-zA-Z], )?${flag}(?=[ ,=]|$).*(?:\\n {3,}.*)*`, 'm').exec(help)?.[0];
  if (entry === undefined) return undefined;
  const m = /\bdefault: (?:"([^"]*)"|([^;),"]+))/.exec(entry.replace(/\s+/g, ' '));
  return m ? (m[1] ?? m[2]!.trim()) : undefined;
}

/** For each check: the README broken as it goes stale, which the check must find. */
const BROKEN: Readonly<Record<string, (readme: string) => string>> = {
  'the component types table has every type, as the registry orders them': (r) => replaceOnce(r, /^\| `worker` \|.*\n/m, ''),
  'the traits table has every trait in the order they are applied': (r) => swapLines(r, /^\| `envFrom` \|.*$/m, /^\| `envs` \|.*$/m),
  'the workflow section names every step type': (r) => replaceOnce(r, 'type (gpu-preflight)', 'type (gpu-check)'),
  'the validation section lists every semantic rule': (r) => replaceOnce(r, /probe ports,\s+/, ''),
  'the commands table has every command, with flags each command has': (r) =>
    replaceOnce(r, '[--format text\\|json\\|github] [--strict]', '[--format text\\|json\\|github] [--strict-mode]'),
  'the kind order is the code’s': (r) => replaceOnce(r, 'ServiceAccount, Secret, ConfigMap,', 'ServiceAccount, ConfigMap, Secret,'),
  'the set-up command renders the examples it names, into the files it names': (r) => replaceOnce(r, '`examples/nightly-report`, ', ''),
  'the defaults it gives for flags are the CLI’s': (r) => replaceOnce(r, '`--lease-duration` (15s)', '`--lease-duration` (10s)'),
  'npm test is the test command, and CI runs it': (r) => replaceOnce(r, '```sh\nnpm test\n```', '```sh\nnpm run test:unit\n```'),
};

/** More ways each check must catch, where one is not enough to show it reads both ways. */
const ALSO_BROKEN: ReadonlyArray<[string, (readme: string) => string]> = [
  ['the component types table has every type, as the registry orders them', (r) => replaceOnce(r, /^\| `worker` \|/m, '| `daemon` |')],
  ['the workflow section names every step type', (r) => replaceOnce(r, 'type (gpu-preflight)', 'type (gpu)')],
  ['the validation section lists every semantic rule', (r) => replaceOnce(r, /probe ports,\s+/, 'probe ports, image tags, ')],
  ['the commands table has every command, with flags each command has', (r) => replaceOnce(r, /^\| `kubemin plugins .*\n/m, '')],
  ['the commands table has every command, with flags each command has', (r) => replaceOnce(r, '| `kubemin plugins [paths...]', '| `kubemin plugin [paths...]')],
  ['the defaults it gives for flags are the CLI’s', (r) => replaceOnce(r, '`--app-concurrency` (4)', '`--app-concurrency` (8)')],
  ['the defaults it gives for flags are the CLI’s', (r) => replaceOnce(r, '`--lease-name` (`kubemin-watch`)', '`--lease-name` (`kubemin`)')],
  ['the defaults it gives for flags are the CLI’s', (r) => replaceOnce(r, '`--lease-renew` (5s)', '`--lease-renewal` (5s)')],
  ['the kind order is the code’s', (r) => replaceOnce(r, 'Ingress, webhooks;', 'Ingress, Gateway, webhooks;')],
  [
    'the set-up command renders the examples it names, into the files it names',
    (r) => replaceOnce(r, '`rendered/shop.plan.json`', '`rendered/shop/plan.json`'),
  ],
];

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`the broken copy is the README: ${String(from)} not found`);
  return out;
}

function swapLines(text: string, a: RegExp, b: RegExp): string {
  const la = a.exec(text)?.[0];
  const lb = b.exec(text)?.[0];
  if (la === undefined || lb === undefined) throw new Error('the broken copy is the README: a line to swap is missing');
  return text.replace(la, '\u0000').replace(lb, la).replace('\u0000', lb);
}

let tools: Cli;

beforeAll(async () => {
  const help = await cli(['--help'], REPO);
  const names = [...(help.stdout.split('\nCommands:\n')[1] ?? '').matchAll(/^ {2}([a-z-]+)\b/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  const commands = new Map<string, string>();
  // A command with subcommands (`import kubemin-cli`) has the flags of its subcommands too.
  const subcommands = (text: string): string[] =>
    [...(text.split('\nCommands:\n')[1] ?? '').matchAll(/^ {2}([a-z-]+)\b/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  for (const name of names) {
    let text = (await cli([name, '--help'], REPO)).stdout;
    for (const sub of subcommands(text)) text += (await cli([name, sub, '--help'], REPO)).stdout;
    commands.set(name, text);
  }
  const rendered = join(tempDir('kubemin-readme-'), 'rendered');
  const run = await cli(['render', 'examples', '--out', rendered], REPO);
  if (run.code !== 0) throw new Error(`npx kubemin render examples --out rendered failed (${run.code}): ${run.stderr}`);
  tools = { commands, rendered };
});

describe('README', () => {
  it('the CLI help lists commands (what the checks read is there)', () => {
    expect([...tools.commands.keys()]).toEqual(expect.arrayContaining(['validate', 'render', 'plan', 'diff', 'apply', 'watch']));
    expect(tools.commands.get('validate')).toContain('--strict');
  });

  for (const [name, check] of Object.entries(CHECKS)) {
    it(name, () => {
      expect(check(README, tools)).toEqual([]);
      const broken = BROKEN[name];
      if (!broken) throw new Error(`no broken README for "${name}": every check must be shown to fail`);
      expect(check(broken(README), tools)).not.toEqual([]);
      for (const [also, breakIt] of ALSO_BROKEN) if (also === name) expect(check(breakIt(README), tools)).not.toEqual([]);
    });
  }
});
