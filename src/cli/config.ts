import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidConfigError, UsageError } from '../errors.js';
import { DEFAULT_TRACKING_TABLE } from '../runner/defaults.js';
import type { TransactionMode } from '../runner/types.js';
import { integerOption, oneOf, stringOption, type ParsedArgs } from './args.js';

/**
 * Where a command's settings come from: its flags, else drawbridge.config.json
 * or .yaml (--config, or found in the working directory), else the defaults
 * (./migrations). Paths in a config file are relative to the file.
 */

export interface Settings {
  readonly migrationsDir: string;
  readonly rules: string | undefined;
  readonly legacy: string | undefined;
  readonly table: string;
  readonly lockTimeoutMs: number;
  readonly transaction: TransactionMode;
  readonly configFile: string | undefined;
}

interface ConfigFile {
  migrations?: string;
  rules?: string;
  legacy?: string;
  table?: string;
  lockTimeoutMs?: number;
  transaction?: TransactionMode;
}

const CONFIG_NAMES = ['drawbridge.config.json', 'drawbridge.config.yaml', 'drawbridge.config.yml'];

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    migrations: { type: 'string', minLength: 1 },
    rules: { type: 'string', minLength: 1 },
    legacy: { type: 'string', minLength: 1 },
    table: { type: 'string', minLength: 1 },
    lockTimeoutMs: { type: 'integer', minimum: 0 },
    transaction: { enum: ['all', 'each'] },
  },
} as const;

async function parseConfigText(file: string, text: string): Promise<unknown> {
  if (file.endsWith('.json')) return JSON.parse(text) as unknown;
  const { parse } = await import('yaml');
  return parse(text) as unknown;
}

async function readConfig(file: string): Promise<ConfigFile> {
  let data: unknown;
  try {
    data = await parseConfigText(file, readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidConfigError(`${file}: cannot be read as ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${(error as Error).message}). Fix the file, or pass the settings as flags.`, {
      cause: error,
      details: { file },
    });
  }
  const { default: ajvModule } = await import('ajv');
  const validate = new ajvModule.default({ allErrors: true }).compile(CONFIG_SCHEMA);
  if (!validate(data ?? {})) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(top level)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`);
    throw new InvalidConfigError(`${file}: invalid drawbridge config: ${problems.join('; ')}. Allowed keys: ${Object.keys(CONFIG_SCHEMA.properties).join(', ')}.`, {
      details: { file, problems },
    });
  }
  return (data ?? {});
}

function findConfig(args: ParsedArgs, cwd: string): string | undefined {
  const explicit = stringOption(args, 'config');
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new UsageError(`--config ${explicit}: no such file`);
    return path;
  }
  return CONFIG_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

export async function resolveSettings(args: ParsedArgs, cwd: string = process.cwd()): Promise<Settings> {
  const configFile = findConfig(args, cwd);
  const config = configFile === undefined ? {} : await readConfig(configFile);
  const base = configFile === undefined ? cwd : dirname(configFile);
  const fromConfig = (value: string | undefined): string | undefined => (value === undefined ? undefined : resolve(base, value));
  const flagPath = (name: string): string | undefined => {
    const value = stringOption(args, name);
    return value === undefined ? undefined : resolve(cwd, value);
  };
  return Object.freeze({
    migrationsDir: flagPath('migrations') ?? fromConfig(config.migrations) ?? resolve(cwd, 'migrations'),
    rules: flagPath('rules') ?? fromConfig(config.rules),
    legacy: flagPath('legacy') ?? fromConfig(config.legacy),
    table: stringOption(args, 'table') ?? config.table ?? DEFAULT_TRACKING_TABLE,
    lockTimeoutMs: integerOption(args, 'lock-timeout', 0) ?? config.lockTimeoutMs ?? 30_000,
    transaction: oneOf(args, 'transaction', ['all', 'each'] as const) ?? config.transaction ?? 'all',
    configFile,
  });
}
