/** Markdown state at a point of a text: the open code fence, if any, and the open `<details>` tags. */
interface OpenState {
  fence: { readonly char: string; readonly length: number } | null;
  details: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The first lines of `text` that fit in `budget` characters with what closes them: the open code
 * fence is closed, the notice (given how many lines were left out) follows, then every
 * `<details>` still open is closed. The result is balanced markdown; `text` itself when it fits.
 */
export function cutBlock(text: string, budget: number, notice: (moreLines: number) => string): string {
  if (text.length <= budget) return text;
  const lines = text.replace(/\n$/, '').split('\n');
  const state: OpenState = { fence: null, details: 0 };
  let kept = '';
  let count = 0;
  let closing = closingText(state, notice(lines.length));
  for (const line of lines) {
    const next = { ...state };
    advance(next, line);
    const nextClosing = closingText(next, notice(lines.length - count - 1));
    if (kept.length + line.length + 1 + nextClosing.length > budget) break;
    kept += line + '\n';
    count++;
    Object.assign(state, next);
    closing = nextClosing;
  }
  return kept + closing;
}

function advance(state: OpenState, line: string): void {
  const fence = FENCE.exec(line)?.[1];
  if (state.fence) {
    if (fence && fence[0] === state.fence.char && fence.length >= state.fence.length && line.trim() === fence) state.fence = null;
    return;
  }
  if (fence) {
    state.fence = { char: fence[0]!, length: fence.length };
    return;
  }
  state.details += (line.match(/<details[\s>]/g) ?? []).length;
  state.details = Math.max(0, state.details - (line.match(/<\/details>/g) ?? []).length);
}

function closingText(state: OpenState, notice: string): string {
  const fence = state.fence ? `${state.fence.char.repeat(state.fence.length)}\n` : '';
  return `${fence}\n${notice.replace(/\n$/, '')}\n${'\n</details>\n'.repeat(state.details)}\n`;
}
