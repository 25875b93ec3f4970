import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

/**
 * Command-line parsing on Node's own util.parseArgs (strict: an unknown flag
 * is a usage error, exit 2). The options every command takes (DESIGN.md,
 * "CLI contract") live here; each command adds its own.
 */

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS: OptionSpec = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  migrations: { type: 'string' },
  rules: { type: 'string' },
  legacy: { type: 'string' },
  table: { type: 'string' },
  'lock-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export function parseCommandArgs(command: string, argv: readonly string[], extra: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...extra }, allowPositionals: true, strict: true });
    return { positionals, values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}. Run \`drawbridge ${command} --help\`.`, { cause: error });
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function integerOption(args: ParsedArgs, name: string, min: number): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, got "${raw}"`);
  return Number(raw);
}

export function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[]): T | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} takes one of ${allowed.join(', ')}; got "${raw}"`);
  return raw as T;
}

/** The one database path a command works on. */
export function databaseArgument(command: string, args: ParsedArgs): string {
  const [db, ...rest] = args.positionals;
  if (db === undefined) throw new UsageError(`${command} needs a database file: drawbridge ${command} <db>`);
  if (rest.length > 0) throw new UsageError(`${command} takes one database; unexpected: ${rest.join(' ')}`);
  return db;
}
