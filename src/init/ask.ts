/**
 * The one thing the question flow needs from a terminal: ask a question and get a valid answer.
 * The TTY prompt (tty-prompt.ts) implements it over node:readline; tests script it.
 */
export interface AskOptions {
  /** Used when the answer is empty. */
  readonly default?: string;
  /** The answer must be one of these; a unique prefix or the 1-based number picks one. */
  readonly choices?: readonly string[];
  /** Shown once above the question (e.g. what each choice means). */
  readonly help?: string;
  /** Why the (defaulted, resolved) answer is not acceptable, or undefined when it is. */
  readonly validate?: (value: string) => string | undefined;
}

export interface Ask {
  /** Resolves to an accepted answer: the implementation re-asks, with the reason, until one is. */
  ask(question: string, opts?: AskOptions): Promise<string>;
}

/** The user stopped answering: Ctrl-C (`interrupt`) or the end of the input (`eof`). */
export class InitCancelled extends Error {
  override readonly name = 'InitCancelled';
  constructor(readonly reason: 'interrupt' | 'eof') {
    super(reason === 'interrupt' ? 'interrupted' : 'the input ended before every question was answered');
  }
}

export type Accepted = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

/**
 * What an Ask implementation does with one typed answer: trim it, apply the default, resolve a
 * choice, validate. Shared by the TTY prompt and the tests' scripted Ask.
 */
export function acceptAnswer(raw: string, opts: AskOptions = {}): Accepted {
  let value = raw.trim();
  if (value === '' && opts.default !== undefined) value = opts.default;
  if (opts.choices?.length) {
    const picked = resolveChoice(value, opts.choices);
    if (picked === undefined) return { ok: false, reason: `choose one of ${opts.choices.join(', ')} (or its number)` };
    value = picked;
  }
  const reason = opts.validate?.(value);
  return reason === undefined ? { ok: true, value } : { ok: false, reason };
}

/** The choice `input` names: itself, its 1-based number, or a prefix of exactly one choice. */
export function resolveChoice(input: string, choices: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const exact = choices.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  if (/^[1-9][0-9]*$/.test(input)) return choices[Number(input) - 1];
  const prefixed = lower === '' ? [] : choices.filter((c) => c.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** How the question is shown: `Type of web (webservice, worker) [webservice]: `. */
export function formatQuestion(question: string, opts: AskOptions = {}): string {
  const choices = opts.choices?.length ? ` (${opts.choices.join(', ')})` : '';
  const def = opts.default !== undefined && opts.default !== '' ? ` [${opts.default}]` : '';
  return `${question}${choices}${def}: `;
}
