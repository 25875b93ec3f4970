#!/usr/bin/env node
import { EXIT, UsageError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { parseCommandArgs } from './args.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { Output } from './output.js';

const COMMON_HELP = [
  'Options every command takes:',
  '  --json               one JSON document on stdout, nothing else there',
  '  --config FILE        settings file (default: drawbridge.config.json|yaml in the current directory)',
  '  --migrations DIR     migrations directory (default: ./migrations)',
  '  --table NAME         tracking table (default: drawbridge_migrations)',
  '  --lock-timeout MS    how long to wait for another process\'s write lock (default 30000)',
  '  --rules, --legacy    bridge rules and the legacy module (used by the bridge commands)',
];

function usage(): string {
  return [
    `drawbridge ${TOOL_VERSION}: versioned, tracked, reversible migrations for SQLite`,
    '',
    'Usage: drawbridge <command> [db] [options]',
    '',
    ...COMMANDS.flatMap((c) => [`  ${c.synopsis}`, `      ${c.summary}`]),
    '',
    ...COMMON_HELP,
    '',
    'Exit codes: 0 ok, 1 unexpected, 2 usage, 3 unknown/ambiguous legacy state, 4 database newer than the app,',
    '5 migration failed (rolled back), 6 lock timeout, 7 not a database/corrupt, 8 invalid migrations/config or checksum mismatch,',
    '9 fleet: some databases failed (each one\'s own code is in its result line).',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: drawbridge ${command.synopsis}`, '', command.summary, '', ...command.help, '', ...COMMON_HELP].join('\n');
}

export async function main(argv: readonly string[], out: Output = new Output(argv.includes('--json'))): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See \`drawbridge --help\`.`);
    const args = parseCommandArgs(name, rest, command.options);
    if (args.values.help === true) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    return await command.run(args, out);
  } catch (error) {
    return out.failure(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
