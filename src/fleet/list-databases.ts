import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from '../errors.js';

/**
 * The database files a fleet works on, from its arguments: a directory is
 * searched recursively for database files (by extension), a glob is
 * expanded, a file is taken as given. Each file carries the key its shard
 * is chosen by: its path relative to the argument it came from, so the split
 * does not depend on where the fleet is mounted.
 */

export interface ListedDatabase {
  /** The path as the fleet shows it: the argument, joined with the file's path under it. */
  readonly file: string;
  /**
   * Its path relative to the argument it came from, with '/' separators (a
   * file given as such: its own name). What its shard is chosen by, and
   * where its backups go under --backup-dir.
   */
  readonly relativePath: string;
}

const DATABASE_EXTENSIONS = ['.db', '.sqlite', '.sqlite3', '.db3'];

/** SQLite's sidecars, and drawbridge's own backups (complete or half-written): never databases of the fleet. */
function isSidecarOrBackup(name: string): boolean {
  return /-(wal|shm|journal)$/.test(name) || name.endsWith('.backup') || /\.backup\.partial/.test(name);
}

function looksLikeDatabase(name: string): boolean {
  return DATABASE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext)) && !isSidecarOrBackup(name);
}

const toKey = (path: string): string => path.split(sep).join('/');

function isFileEntry(dir: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  // A symlink to a file counts; one to a directory is not followed (it could loop).
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, entry.name)).isFile();
  } catch {
    return false;
  }
}

function readDirectory(dir: string, argument: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`fleet ${argument}: the directory ${dir} cannot be read (${code}). Check its permissions, or leave it out of the arguments.`, { cause: error });
  }
}

/** Every database file under `root`, recursively, as paths relative to it. */
function walk(root: string, argument: string, under = ''): string[] {
  const found: string[] = [];
  for (const entry of readDirectory(join(root, under), argument)) {
    const path = under === '' ? entry.name : join(under, entry.name);
    if (entry.isDirectory()) found.push(...walk(root, argument, path));
    else if (looksLikeDatabase(entry.name) && isFileEntry(join(root, under), entry)) found.push(path);
  }
  return found;
}

/** The leading directories of a glob that hold no pattern: what its matches are relative to. */
function staticBase(pattern: string): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.length === 0 ? '.' : fixed.join('/') || '/';
}

async function expandGlob(pattern: string, cwd: string): Promise<ListedDatabase[]> {
  const matches = await glob(pattern, { cwd, absolute: isAbsolute(pattern), onlyFiles: true, expandDirectories: false });
  const base = resolve(cwd, staticBase(pattern));
  return matches
    .filter((match) => !isSidecarOrBackup(match))
    .map((match) => ({ file: match, relativePath: toKey(relative(base, resolve(cwd, match))) }));
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

async function expandArgument(argument: string, cwd: string): Promise<ListedDatabase[]> {
  // A path that exists is taken literally, even when it has glob characters in its name.
  const stats = statOrUndefined(resolve(cwd, argument));
  if (stats?.isDirectory()) return walk(resolve(cwd, argument), argument).map((path) => ({ file: join(argument, path), relativePath: toKey(path) }));
  if (stats !== undefined) return [{ file: argument, relativePath: basename(argument) }];
  if (isDynamicPattern(argument)) return expandGlob(argument, cwd);
  throw new UsageError(`fleet: ${argument}: no such file or directory. Give database files, directories to search, or quoted globs ('fleet/**/*.db').`);
}

const byFile = (a: ListedDatabase, b: ListedDatabase): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** The file itself: two paths to it (a symlink, `dir` and `dir/x.db`) are one database. */
function identity(file: string, cwd: string): string {
  try {
    return realpathSync(resolve(cwd, file));
  } catch {
    return resolve(cwd, file);
  }
}

/**
 * The fleet's databases: sorted by path, each file once (the first argument
 * that names it, and within it the first path in sorted order, decides how
 * it is shown and its relative path).
 */
export async function listDatabases(inputs: readonly string[], cwd: string = process.cwd()): Promise<ListedDatabase[]> {
  if (inputs.length === 0) throw new UsageError('fleet needs at least one directory, glob or database file: drawbridge fleet <dir|glob|db...>');
  const databases = new Map<string, ListedDatabase>();
  for (const argument of inputs) {
    const listed = (await expandArgument(argument, cwd)).sort(byFile);
    if (listed.length === 0) {
      throw new UsageError(`fleet: ${argument} holds no database files (${DATABASE_EXTENSIONS.join(', ')}; sidecars and .backup files are skipped). Check the path, or name the files.`);
    }
    for (const database of listed) {
      const key = identity(database.file, cwd);
      if (!databases.has(key)) databases.set(key, database);
    }
  }
  return [...databases.values()].sort(byFile);
}
