import { formatAppFooter, formatAppHeader, formatPhaseLine } from '../apply/format-text.js';
import type { ApplyEvent } from '../apply/types.js';
import type { Io } from './output.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows an apply as it happens: a header per app, one line per finished phase (with its
 * reasons), then the footer. On a terminal the running phase has a spinner line with what it
 * waits for, redrawn in place; elsewhere (CI, pipes) only whole lines are written.
 */
export function applyProgress(io: Io): { onEvent: (e: ApplyEvent) => void; stop: () => void } {
  let width = 0;
  let live: { label: string; text: string; frame: number; timer: NodeJS.Timeout } | undefined;
  const draw = (): void => {
    if (!live) return;
    io.stdout(`\r\x1b[K  ${SPINNER[live.frame % SPINNER.length]} ${live.label}  ${live.text}`.slice(0, (process.stdout.columns || 120) + 6));
  };
  const clear = (): void => {
    if (!live) return;
    clearInterval(live.timer);
    io.stdout('\r\x1b[K');
    live = undefined;
  };
  const onEvent = (e: ApplyEvent): void => {
    switch (e.type) {
      case 'app-start':
        width = Math.max(0, ...e.phases.map((p) => p.length));
        io.stdout(formatAppHeader({ name: e.app, ...(e.environment ? { environment: e.environment } : {}) }, e.namespace, e.phases.length));
        break;
      case 'phase-start':
        if (!io.interactive) break;
        clear();
        live = {
          label: `${String(e.index).padStart(2, '0')}-${e.phase}`.padEnd(width),
          text: e.attempt > 1 ? `applying (attempt ${e.attempt})` : 'applying',
          frame: 0,
          timer: setInterval(() => {
            if (live) live.frame++;
            draw();
          }, 100),
        };
        draw();
        break;
      case 'phase-progress':
        if (!live) break;
        live.text = `${e.ready}/${e.total} ready${e.waitingFor ? `, waiting for ${e.waitingFor}` : ''}`;
        draw();
        break;
      case 'phase-end':
        clear();
        io.stdout(formatPhaseLine(e.result, width, { color: io.stdoutColor ?? false }));
        break;
      case 'prune':
        break;
      case 'app-end':
        clear();
        io.stdout(formatAppFooter(e.result));
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${String(never)}`);
      }
    }
  };
  return { onEvent, stop: clear };
}
