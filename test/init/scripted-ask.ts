import { acceptAnswer, type Ask, type AskOptions } from '../../src/init/ask.js';

export interface AskedQuestion {
  readonly question: string;
  readonly opts: AskOptions;
  readonly typed: string;
  /** Why the answer was refused (the question is then asked again). */
  readonly reason?: string;
}

/**
 * An Ask that answers from a script, as a person would type (defaults, choices and validation
 * applied by the same acceptAnswer as the TTY prompt). An Error in the script is thrown instead.
 */
export function scriptedAsk(script: ReadonlyArray<string | Error>): Ask & { readonly asked: AskedQuestion[]; readonly left: () => number; close(): void } {
  const queue = [...script];
  const asked: AskedQuestion[] = [];
  return {
    asked,
    left: () => queue.length,
    close: () => {},
    async ask(question, opts = {}) {
      for (;;) {
        const next = queue.shift();
        if (next === undefined) throw new Error(`the script has no answer left for "${question}"`);
        if (next instanceof Error) throw next;
        const accepted = acceptAnswer(next, opts);
        asked.push({ question, opts, typed: next, ...(accepted.ok ? {} : { reason: accepted.reason }) });
        if (accepted.ok) return accepted.value;
      }
    },
  };
}
