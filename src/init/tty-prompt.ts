/**
 * The Ask of a real terminal, over node:readline/promises: shows the choices and the default,
 * re-asks with the reason until an answer is accepted. Ctrl-C and the end of the input (Ctrl-D)
 * reject the pending question with InitCancelled.
 */
import * as readline from 'node:readline/promises';
import { acceptAnswer, formatQuestion, InitCancelled, type Ask, type AskOptions } from './ask.js';

export interface TtyPrompt extends Ask {
  close(): void;
}

export interface TtyPromptOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

export function createTtyPrompt(opts: TtyPromptOptions): TtyPrompt {
  const rl = readline.createInterface({ input: opts.input, output: opts.output, terminal: Boolean((opts.input as { isTTY?: boolean }).isTTY) });
  const abort = new AbortController();
  let cancelled: InitCancelled | undefined;
  let closing = false;
  const cancel = (reason: InitCancelled['reason']): void => {
    if (closing || cancelled) return;
    cancelled = new InitCancelled(reason);
    opts.output.write('\n');
    abort.abort(cancelled);
  };
  rl.on('SIGINT', () => cancel('interrupt'));
  rl.on('close', () => cancel('eof'));

  const question = async (text: string): Promise<string> => {
    if (cancelled) throw cancelled;
    try {
      return await rl.question(text, { signal: abort.signal });
    } catch (err) {
      throw cancelled ?? err;
    }
  };

  return {
    async ask(text: string, options: AskOptions = {}): Promise<string> {
      if (options.help) opts.output.write(`${options.help}\n`);
      for (;;) {
        const accepted = acceptAnswer(await question(formatQuestion(text, options)), options);
        if (accepted.ok) return accepted.value;
        opts.output.write(`  ${accepted.reason}\n`);
      }
    },
    close(): void {
      closing = true;
      rl.close();
    },
  };
}
