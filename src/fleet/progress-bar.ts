import type { FleetProgress } from './run-fleet.js';

/**
 * The fleet's progress on a terminal: one line, redrawn at most ten times a
 * second (a fleet finishes thousands of databases a second; a redraw for
 * each would cost more than the work). The CLI shows it on stderr, only
 * when stderr is a TTY.
 */

const WIDTH = 24;
const REDRAW_MS = 100;

export function progressText(p: FleetProgress): string {
  const fraction = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(fraction * WIDTH);
  const rate = p.elapsedMs <= 0 ? 0 : Math.round((p.done / p.elapsedMs) * 1000);
  const failed = p.failed === 0 ? '' : ` · ${p.failed} failed`;
  return `[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${p.done}/${p.total} ${Math.round(fraction * 100)}% · ${rate}/s${failed}`;
}

export class FleetProgressBar {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(private readonly write: (text: string) => void) {}

  update(progress: FleetProgress): void {
    if (progress.done < progress.total && progress.elapsedMs - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = progress.elapsedMs;
    this.shown = true;
    this.write(`\r\u001b[2K${progressText(progress)}`);
  }

  /** Clear the line before the summary is printed. */
  done(): void {
    if (this.shown) this.write('\r\u001b[2K');
  }
}
