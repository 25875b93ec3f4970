import type { OptionSpec, ParsedArgs } from './args.js';
import type { Output } from './output.js';

/** One CLI command: a short file under commands/ exports one of these. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The synopsis after "drawbridge ", e.g. "up <db> [--to NAME | --step K]". */
  readonly synopsis: string;
  /** Extra lines of help: what the options mean. */
  readonly help: readonly string[];
  readonly options: OptionSpec;
  run(args: ParsedArgs, out: Output): Promise<number>;
}
