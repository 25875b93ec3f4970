import type { RunProgress } from '../runner/types.js';

/**
 * One line on a terminal that says what a long upgrade is doing: the step,
 * a bar for the backup and the migrations, and the migration running. Only
 * on a TTY (the CLI decides), never with --json.
 */
export class ProgressLine {
  private shown = false;

  constructor(private readonly write: (text: string) => void, private readonly width = 24) {}

  private bar(done: number, total: number): string {
    const filled = total <= 0 ? 0 : Math.round((done / total) * this.width);
    return `[${'#'.repeat(filled)}${' '.repeat(this.width - filled)}] ${total <= 0 ? 0 : Math.round((done / total) * 100)}%`;
  }

  update(event: RunProgress): void {
    let text: string | undefined;
    switch (event.type) {
      case 'step':
        text = `${event.step}…`;
        break;
      case 'backup':
        text = `backup ${this.bar(event.copiedPages, event.totalPages)}`;
        break;
      case 'migration-start':
        text = `${event.direction === 'up' ? 'migrating' : 'reverting'} ${this.bar(event.index - 1, event.total)} ${event.name}`;
        break;
      case 'rows':
        text = `${event.name}: ${event.what} ${this.bar(event.rowsDone, event.rowsTotal)} ${event.rowsDone}/${event.rowsTotal}${event.secondsLeft === null ? '' : `, ~${event.secondsLeft} s left`}`;
        break;
      case 'migration-done':
        text = `${event.direction === 'up' ? 'migrating' : 'reverting'} ${this.bar(event.index, event.total)} ${event.name}`;
        break;
      default:
        return;
    }
    this.shown = true;
    this.write(`\r\u001b[2K${text}`);
  }

  done(): void {
    if (this.shown) this.write('\r\u001b[2K');
  }
}
