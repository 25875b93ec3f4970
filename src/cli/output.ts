import { EXIT, isDrawbridgeError } from '../errors.js';

/**
 * Everything a command prints goes through here: with --json exactly one JSON
 * document on stdout and nothing else there; otherwise text for a person.
 * Diagnostics (waiting for a lock, migration logs) go to stderr either way.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly write: (text: string) => void = (t) => process.stdout.write(t),
    private readonly writeError: (text: string) => void = (t) => process.stderr.write(t),
  ) {}

  /** The command's result: `data` for --json, `text` lines otherwise. */
  result(data: Record<string, unknown>, text: readonly string[]): void {
    if (this.json) this.write(`${JSON.stringify({ ok: true, ...data }, null, 2)}\n`);
    else if (text.length > 0) this.write(`${text.join('\n')}\n`);
  }

  /** A line for the person at the terminal, never for the JSON consumer. */
  note(line: string): void {
    this.writeError(`${line}\n`);
  }

  /** Report a failure; returns the exit code. Never prints a stack trace unless DRAWBRIDGE_DEBUG is set. */
  failure(error: unknown): number {
    const known = isDrawbridgeError(error);
    const exitCode = known ? error.exitCode : EXIT.unexpected;
    const message = error instanceof Error ? error.message : String(error);
    if (this.json) {
      const body = known ? { code: error.code, exitCode, message, details: error.details } : { code: 'UNEXPECTED', exitCode, message };
      this.write(`${JSON.stringify({ ok: false, error: body }, null, 2)}\n`);
    } else {
      this.writeError(`drawbridge: ${message}\n`);
      if (!known) this.writeError('This is a bug in drawbridge; please report it with the command you ran (DRAWBRIDGE_DEBUG=1 shows the stack).\n');
    }
    if (process.env.DRAWBRIDGE_DEBUG && error instanceof Error) this.writeError(`${error.stack ?? ''}\n`);
    return exitCode;
  }
}
