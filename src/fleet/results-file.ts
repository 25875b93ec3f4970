import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { FleetResult } from './types.js';

/**
 * `--out results.jsonl`: one JSON line per database, written the moment its
 * result arrives (a plain write, no buffer in this process), so a run that
 * is killed keeps every line it finished. Shards' files merge by `cat`.
 */
export class ResultsFile {
  private constructor(private readonly fd: number) {}

  static create(path: string): ResultsFile {
    try {
      return new ResultsFile(openSync(path, 'w'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new UsageError(`--out ${path}: the results file cannot be written (${code}); nothing was done. Choose a path in a folder that exists and is writable.`, { cause: error });
    }
  }

  write(result: FleetResult): void {
    writeSync(this.fd, `${JSON.stringify(result)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
