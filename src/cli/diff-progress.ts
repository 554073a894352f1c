import type { DiffProgress } from '../operations/diff.js';
import type { Io } from './output.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** How long a diff runs before its progress is shown: a quick one stays silent. */
export const PROGRESS_DELAY_MS = 1000;

function describe(p: DiffProgress): string {
  switch (p.stage) {
    case 'compiling':
      return 'compiling the specs';
    case 'comparing':
      return `comparing ${p.objects} object(s) of ${p.apps} application(s) with the cluster: ${p.requests()} request(s) sent`;
    default: {
      const never: never = p;
      throw new Error(`unknown stage ${JSON.stringify(never)}`);
    }
  }
}

/**
 * `kubemin diff`'s progress: one line on stderr, redrawn in place, once the diff has taken more
 * than a second; erased when it ends, so that nothing of it stays. Only when stderr is a terminal:
 * elsewhere (a pipe, a file, CI) nothing at all.
 */
export function diffProgress(io: Io): { readonly onProgress: (p: DiffProgress) => void; readonly stop: () => void } {
  if (!io.stderrInteractive) return { onProgress: () => undefined, stop: () => undefined };
  let current: DiffProgress = { stage: 'compiling' };
  let frame = 0;
  let drawn = false;
  let ticker: NodeJS.Timeout | undefined;
  const draw = (): void => {
    drawn = true;
    // One terminal line at most: a line that wraps would not be redrawn in place.
    const text = `${SPINNER[frame++ % SPINNER.length]} ${describe(current)}`;
    io.stderr(`\r\x1b[K${text.slice(0, Math.max(10, (process.stderr.columns || 80) - 1))}`);
  };
  const delay = setTimeout(() => {
    draw();
    ticker = setInterval(draw, 100);
    ticker.unref();
  }, PROGRESS_DELAY_MS);
  delay.unref();
  return {
    onProgress: (p) => {
      current = p;
    },
    stop: () => {
      clearTimeout(delay);
      if (ticker) clearInterval(ticker);
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}
