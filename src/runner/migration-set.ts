import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidMigrationsError } from '../errors.js';
import { loadOnFirstUse } from '../load-on-first-use.js';
import { checksumOf } from './checksum.js';
import type { ParsedSqlMigration } from './sql-migration.js';
import type { Migration, MigrationDefinition, MigrationFunction, MigrationSet, MigrationSteps } from './types.js';
import type * as RunStatementsModule from './run-statements.js';
import type * as SqlMigrationModule from './sql-migration.js';

/**
 * Migration sources: a directory of NNNN_name.sql / .ts / .js files, or an
 * embedded array. Either way the result is a validated MigrationSet: names
 * with a 4-digit prefix, unique, numbered without gaps. Problems are gathered
 * over every file and reported together, so one run shows them all.
 */

/**
 * The SQL parser and statement runner, loaded when a .sql text is first parsed
 * or run: embedded texts with build-time checksums are parsed only then, so an
 * app's every-start no-op loads neither (bench startup).
 */
const sqlMigrations = loadOnFirstUse<typeof SqlMigrationModule>('./runner/sql-migration.js');
const statementRunner = loadOnFirstUse<typeof RunStatementsModule>('./runner/run-statements.js');

const NAME = /^(\d{4})_([A-Za-z0-9][A-Za-z0-9_-]*)$/;

/** `-- drawbridge: backward-compatible` (or `// …` in a module) among the lines before the code starts. */
const COMPATIBLE_MARKER = /^\s*(?:--|\/\/)\s*drawbridge:\s*backward-compatible\s*$/im;

function declaresCompatible(text: string): boolean {
  const header = text.split(/^\s*--\s*migrate:up\s*$/im)[0] ?? '';
  return COMPATIBLE_MARKER.test(header);
}
const SQL_EXTENSIONS = new Set(['.sql']);
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

interface Problem {
  readonly where: string;
  readonly what: string;
}

/** A naming or numbering problem, kept apart from the rest so that `lint` can report it per file under the check's name. */
export interface NamingProblem {
  readonly rule: 'migration-name' | 'duplicate-name' | 'duplicate-number' | 'sequence-start' | 'sequence-gap';
  /** The files (or embedded migration names) it concerns. */
  readonly entries: readonly string[];
  readonly what: string;
}

function asProblem({ entries, what }: NamingProblem): Problem {
  return { where: entries.join(', '), what };
}

function invalid(source: string, problems: readonly Problem[]): InvalidMigrationsError {
  const lines = problems.map((p) => `  ${p.where}: ${p.what}`);
  return new InvalidMigrationsError(
    `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with the migrations; nothing was run.\n${lines.join('\n')}\n` +
      'Migrations are named NNNN_description.sql|.ts|.js (4-digit prefix), numbered from 0001 without gaps or repeats; fix or rename the files listed.',
    { details: { source, problems } },
  );
}

function numberOf(name: string): number | undefined {
  const match = NAME.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/** Names unique, numbers unique, starting at 0000 or 0001, no gaps. */
function checkSequence(entries: readonly { name: string; where: string }[], problems: NamingProblem[]): void {
  const byNumber = new Map<number, string[]>();
  for (const { name, where } of entries) {
    const number = numberOf(name);
    if (number === undefined) continue;
    byNumber.set(number, [...(byNumber.get(number) ?? []), where]);
  }
  for (const [number, wheres] of byNumber) {
    if (wheres.length > 1) {
      problems.push({ rule: 'duplicate-number', entries: wheres, what: `share the number ${String(number).padStart(4, '0')}; each migration needs its own` });
    }
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  const first = numbers[0];
  if (first !== undefined && first > 1) {
    problems.push({ rule: 'sequence-start', entries: [byNumber.get(first)?.[0] ?? ''], what: `the sequence starts at ${String(first).padStart(4, '0')}; it must start at 0001 (or 0000)` });
  }
  numbers.forEach((number, i) => {
    const previous = numbers[i - 1];
    if (previous !== undefined && number !== previous + 1) {
      const missing = Array.from({ length: number - previous - 1 }, (_, k) => String(previous + 1 + k).padStart(4, '0'));
      problems.push({ rule: 'sequence-gap', entries: [byNumber.get(number)?.[0] ?? ''], what: `gap in the sequence: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing before it` });
    }
  });
}

function sqlSteps(parsed: ParsedSqlMigration): MigrationSteps {
  const down = parsed.down;
  const steps: MigrationSteps = {
    up: ({ db }) => statementRunner().runStatements(db, parsed.up),
    down: down === undefined ? undefined : ({ db }) => statementRunner().runStatements(db, down),
  };
  return Object.freeze(steps);
}

async function importModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (file.endsWith('.ts') || file.endsWith('.mts')) {
    // Only .ts migrations pay for a TypeScript loader, and only when they run.
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(url, import.meta.url);
  }
  return import(url);
}

function stepsFromModule(module: unknown, file: string): MigrationSteps {
  const exports = module as { up?: unknown; down?: unknown; default?: { up?: unknown; down?: unknown } };
  const up = exports.up ?? exports.default?.up;
  const down = exports.down ?? exports.default?.down;
  if (typeof up !== 'function') {
    throw invalid(file, [{ where: basename(file), what: 'exports no up(ctx) function (export function up(ctx) {...}, or a default export with up)' }]);
  }
  if (down !== undefined && typeof down !== 'function') {
    throw invalid(file, [{ where: basename(file), what: 'exports a down that is not a function' }]);
  }
  return Object.freeze({ up: up as MigrationFunction, down: down as MigrationFunction | undefined });
}

function moduleMigration(name: string, number: number, file: string, text: string): Migration {
  let steps: Promise<MigrationSteps> | undefined;
  return Object.freeze({
    name,
    number,
    checksum: checksumOf(text),
    origin: file,
    kind: 'module' as const,
    upSql: null,
    backwardCompatible: declaresCompatible(text),
    load: () => (steps ??= importModule(file).then((m) => stepsFromModule(m, file))),
  });
}

function sqlMigration(name: string, number: number, origin: string, parsed: ParsedSqlMigration, text: string, kind: 'sql' | 'embedded'): Migration {
  const steps = sqlSteps(parsed);
  return Object.freeze({ name, number, checksum: checksumOf(text), origin, kind, upSql: parsed.up.map((s) => s.text), backwardCompatible: declaresCompatible(text), load: () => Promise.resolve(steps) });
}

function freezeSet(source: string, migrations: Migration[]): MigrationSet {
  migrations.sort((a, b) => a.number - b.number);
  return Object.freeze({ source, migrations: Object.freeze(migrations) });
}

export interface MigrationFile {
  readonly file: string;
  readonly path: string;
  readonly name: string;
  readonly number: number;
  readonly ext: string;
}

function readDirectory(dir: string, root: string): string[] {
  try {
    if (!statSync(root).isDirectory()) throw invalid(dir, [{ where: dir, what: 'is not a directory' }]);
    return readdirSync(root).sort();
  } catch (error) {
    if (error instanceof InvalidMigrationsError) throw error;
    throw invalid(dir, [{ where: dir, what: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass --migrations <dir>` }]);
  }
}

/**
 * The migration files of a directory by name alone, and the naming problems
 * among them (contents not read). Shared by the loader and `lint`, so both
 * hold a directory to the same rules.
 */
export function scanMigrationDirectory(dir: string): { files: MigrationFile[]; problems: NamingProblem[] } {
  const root = resolve(dir);
  const files: MigrationFile[] = [];
  const problems: NamingProblem[] = [];
  const byName = new Map<string, string>();
  for (const file of readDirectory(dir, root)) {
    const ext = extname(file);
    if (file.startsWith('.') || file.endsWith('.d.ts') || file.endsWith('.d.mts')) continue;
    if (!SQL_EXTENSIONS.has(ext) && !MODULE_EXTENSIONS.has(ext)) continue; // READMEs, notes, templates
    const path = join(root, file);
    if (!statSync(path).isFile()) continue;
    const name = file.slice(0, -ext.length);
    const number = numberOf(name);
    if (number === undefined) {
      problems.push({ rule: 'migration-name', entries: [file], what: 'name must be NNNN_description with a 4-digit prefix, e.g. 0007_add_status' });
      continue;
    }
    const other = byName.get(name);
    if (other !== undefined) {
      problems.push({ rule: 'duplicate-name', entries: [other, file], what: `both define migration ${name}; keep one (a compiled .js beside its .ts?)` });
      continue;
    }
    byName.set(name, file);
    files.push({ file, path, name, number, ext });
  }
  checkSequence(files.map((f) => ({ name: f.name, where: f.file })), problems);
  return { files, problems };
}

/** The migration files of a directory by name alone: names, uniqueness and sequence checked, contents not read. */
export function listMigrationFiles(dir: string): MigrationFile[] {
  const { files, problems } = scanMigrationDirectory(dir);
  if (problems.length > 0) throw invalid(dir, problems.map(asProblem));
  return files;
}

/** Read and validate a migrations directory. Module files are imported lazily, when first run. */
export function loadMigrations(dir: string): MigrationSet {
  const migrations: Migration[] = [];
  // Naming problems and the content problems of well-named files are reported together.
  const scan = scanMigrationDirectory(dir);
  const files = scan.files;
  const problems: Problem[] = scan.problems.map(asProblem);
  for (const { file, path, name, number, ext } of files) {
    const text = readFileSync(path, 'utf8');
    if (!SQL_EXTENSIONS.has(ext)) {
      migrations.push(moduleMigration(name, number, path, text));
      continue;
    }
    const parsed = sqlMigrations().parseSqlMigration(text);
    if (parsed.ok) migrations.push(sqlMigration(name, number, path, parsed.value, text, 'sql'));
    else problems.push(...parsed.problems.map((what) => ({ where: file, what })));
  }
  if (problems.length > 0) throw invalid(dir, problems);
  return freezeSet(resolve(dir), migrations);
}

function checkChecksumFormat(name: string, checksum: string, problems: Problem[]): void {
  if (!/^[0-9a-f]{64}$/.test(checksum)) problems.push({ where: name, what: 'checksum must be 64 lowercase hex digits (sha256)' });
}

/** The text parsed, and its checksum checked against the one the app computed at build time. */
function parseChecksummed(name: string, text: string, checksum: string): ParsedSqlMigration {
  const problems: Problem[] = [];
  const actual = checksumOf(text);
  if (actual !== checksum) {
    problems.push({ where: name, what: `its checksum ${checksum.slice(0, 12)}… is not its sql text's (${actual.slice(0, 12)}…); recompute it with checksumOf(sql) when the app is built` });
  }
  const parsed = sqlMigrations().parseSqlMigration(text);
  if (!parsed.ok) problems.push(...parsed.problems.map((what) => ({ where: name, what })));
  if (problems.length > 0 || !parsed.ok) throw invalid('embedded migrations', problems);
  return parsed.value;
}

/**
 * An embedded .sql text with the checksum the app computed at build time:
 * hashed and parsed only when first needed (run, or its statements shown).
 * Parsing is what an every-start no-op would otherwise pay for: 200 such
 * migrations take 20–40 ms to parse in a fresh process (the tokenizer is not
 * compiled yet), 2–3 ms to hash (measured for bench startup).
 */
function checksummedSqlMigration(name: string, number: number, text: string, checksum: string, problems: Problem[]): Migration {
  checkChecksumFormat(name, checksum, problems);
  let parsed: ParsedSqlMigration | undefined;
  let steps: MigrationSteps | undefined;
  const parse = (): ParsedSqlMigration => (parsed ??= parseChecksummed(name, text, checksum));
  return Object.freeze({
    name,
    number,
    checksum,
    origin: 'embedded',
    kind: 'embedded' as const,
    get upSql(): readonly string[] {
      return parse().up.map((s) => s.text);
    },
    backwardCompatible: declaresCompatible(text),
    load: () => new Promise<MigrationSteps>((resolve) => resolve((steps ??= sqlSteps(parse())))),
  });
}

function embeddedMigration(definition: MigrationDefinition, problems: Problem[]): Migration | undefined {
  const { name } = definition;
  const number = numberOf(name);
  if (number === undefined) {
    problems.push({ where: name, what: 'name must be NNNN_description with a 4-digit prefix (no file extension)' });
    return undefined;
  }
  if (typeof definition.sql === 'string') {
    if (definition.checksum !== undefined) return checksummedSqlMigration(name, number, definition.sql, definition.checksum, problems);
    const parsed = sqlMigrations().parseSqlMigration(definition.sql);
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((what) => ({ where: name, what })));
      return undefined;
    }
    return sqlMigration(name, number, 'embedded', parsed.value, definition.sql, 'embedded');
  }
  if (typeof definition.up !== 'function') {
    problems.push({ where: name, what: 'needs either sql (the .sql file text) or an up(ctx) function' });
    return undefined;
  }
  const steps: MigrationSteps = Object.freeze({ up: definition.up, down: definition.down });
  const checksum = definition.checksum ?? null;
  if (checksum !== null) checkChecksumFormat(name, checksum, problems);
  return Object.freeze({ name, number, checksum, origin: 'embedded', kind: 'embedded' as const, upSql: null, backwardCompatible: definition.backwardCompatible === true, load: () => Promise.resolve(steps) });
}

/** Validate an embedded array of migrations (for bundled apps). */
export function defineMigrations(definitions: readonly MigrationDefinition[]): MigrationSet {
  const problems: Problem[] = [];
  const migrations: Migration[] = [];
  const seen = new Set<string>();
  for (const definition of definitions) {
    if (seen.has(definition.name)) {
      problems.push({ where: definition.name, what: 'is defined twice' });
      continue;
    }
    seen.add(definition.name);
    const migration = embeddedMigration(definition, problems);
    if (migration !== undefined) migrations.push(migration);
  }
  const naming: NamingProblem[] = [];
  checkSequence(definitions.map((d) => ({ name: d.name, where: d.name })), naming);
  problems.push(...naming.map(asProblem));
  if (problems.length > 0) throw invalid('embedded migrations', problems);
  return freezeSet('embedded', migrations);
}

export function isMigrationSet(value: unknown): value is MigrationSet {
  return typeof value === 'object' && value !== null && 'migrations' in value && 'source' in value;
}

/** Accept either a loaded set or an embedded array. */
export function toMigrationSet(input: MigrationSet | readonly MigrationDefinition[]): MigrationSet {
  return isMigrationSet(input) ? input : defineMigrations(input);
}

