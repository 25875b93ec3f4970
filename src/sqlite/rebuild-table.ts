import { UsageError } from '../errors.js';
import type { SqliteDatabase } from './connection.js';
import { readForeignKeysEnabled } from './pragmas.js';
import { quoteIdentifier } from './quote.js';
import { foldCase, identifierName, significantTokens, tokenize, type SqlToken } from './tokenize.js';

/**
 * SQLite's 12-step "other" ALTER TABLE (sqlite.org/lang_altertable.html#otheralter),
 * for the changes ALTER TABLE cannot make: a constraint, a column type, dropping
 * a column that has constraints. It runs inside the caller's transaction, with
 * foreign keys already OFF (drawbridge's runner switches them off before BEGIN
 * and runs foreign_key_check before COMMIT), and it is atomic on its own: it
 * works inside a SAVEPOINT, so a failure leaves the transaction exactly as it
 * was before the call.
 *
 * What the usual hand-written version loses, this keeps: every index on the
 * table, the triggers on it, the triggers on other tables that mention it, the
 * views over it (and views over those), each recreated from its saved SQL
 * exactly; the AUTOINCREMENT counter; rowids of tables without an INTEGER
 * PRIMARY KEY; and, because foreign keys are off, every child row. Rows never
 * pass through JavaScript: they are copied with INSERT … SELECT (in rowid
 * ranges when the caller wants progress), as fast as the same steps written
 * out by hand (npm run bench -- --only rebuild).
 */

export interface RebuildOptions {
  /** The table to rebuild (in the main schema). */
  readonly table: string;
  /**
   * The new CREATE TABLE statement, written with the table's own name, e.g.
   * `CREATE TABLE sessions (id INTEGER PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('a', 'b')))`.
   */
  readonly createSql: string;
  /**
   * New column → SQL expression over the old row (it is evaluated in
   * `SELECT … FROM <old table>`), e.g. `{ full_name: "first || ' ' || last" }`.
   * Every new column not listed here is copied by name from the old table when
   * the old table has it; `null` leaves a column out of the copy, so it takes
   * its DEFAULT. Expressions are SQL written by the migration's author: they
   * cannot hold bound parameters.
   */
  readonly columns?: Readonly<Record<string, string | null>>;
  /** Called after each range of rows is copied (about every 100 000 rows), and once at the end. */
  readonly onProgress?: (rowsCopied: number, totalRows: number) => void;
}

export interface RebuildResult {
  /** The table's name as the database spells it. */
  readonly table: string;
  readonly rowsCopied: number;
  /** What was recreated from its saved SQL, in the order it was recreated. */
  readonly recreated: {
    readonly indexes: readonly string[];
    readonly triggers: readonly string[];
    readonly views: readonly string[];
  };
}

/** Rows per INSERT … SELECT: one progress report each. */
const CHUNK_ROWS = 100_000;
const SAVEPOINT = 'drawbridge_rebuild_table';

interface SchemaObject {
  readonly schema: 'main' | 'temp';
  readonly type: 'index' | 'trigger' | 'view';
  readonly name: string;
  readonly tableName: string;
  readonly sql: string;
}

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly pk: number;
  /** 0 normal, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED. */
  readonly hidden: number;
}

/** A failure of one step, with the table, what to do, and SQLite's error as the cause. */
function failure(table: string, what: string, error: unknown, todo: string): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `rebuildTable(${quoteIdentifier(table)}): ${what} failed: ${reason}\n${todo}\n` +
      'Nothing was changed: the rebuild was rolled back to where it started.',
    { cause: error },
  );
}

function refusal(table: string, why: string, todo: string): UsageError {
  return new UsageError(`rebuildTable(${quoteIdentifier(table)}): ${why}\n${todo}\nNothing was changed.`, { details: { table } });
}

const HOW_TO_CALL =
  'In a drawbridge migration, call rebuildTable(ctx.db, …): the runner has already switched foreign keys off and begun the transaction. ' +
  'On your own connection: PRAGMA foreign_keys = OFF; BEGIN; rebuildTable(…); PRAGMA foreign_key_check (must return no rows); COMMIT; PRAGMA foreign_keys = ON.';

function checkOptions(options: RebuildOptions): void {
  const table = typeof options.table === 'string' ? options.table : String(options.table);
  if (typeof options.table !== 'string' || options.table === '') {
    throw new UsageError('rebuildTable: options.table must be the name of the table to rebuild.', { details: { table } });
  }
  if (typeof options.createSql !== 'string' || options.createSql.trim() === '') {
    throw refusal(table, 'options.createSql must be the new CREATE TABLE statement.', `Write it with the table's own name: CREATE TABLE ${quoteIdentifier(table)} (…).`);
  }
  if (options.columns !== undefined) {
    if (typeof options.columns !== 'object' || options.columns === null || Array.isArray(options.columns)) {
      throw refusal(table, 'options.columns must be an object mapping new columns to SQL expressions.', 'For example { full_name: "first || \' \' || last" }.');
    }
    for (const [column, expression] of Object.entries(options.columns)) {
      if (expression !== null && (typeof expression !== 'string' || expression.trim() === '')) {
        throw refusal(table, `options.columns[${JSON.stringify(column)}] must be an SQL expression or null.`, 'Give an expression over the old row, or null to let the column take its DEFAULT.');
      }
    }
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw refusal(table, 'options.onProgress must be a function (rowsCopied, totalRows).', 'Pass a function, or leave onProgress out.');
  }
}

/** Steps 1 and 2 belong to the caller; without them DROP TABLE would cascade into child tables. */
function refuseUnsafeConnection(db: SqliteDatabase, table: string): void {
  if (!db.inTransaction) {
    throw refusal(
      table,
      'refusing to run outside a transaction: the rebuild drops and recreates the table, and must commit or roll back as one piece.',
      HOW_TO_CALL,
    );
  }
  if (readForeignKeysEnabled(db)) {
    throw refusal(
      table,
      'refusing to run with PRAGMA foreign_keys ON: dropping the old table would delete (ON DELETE CASCADE) or orphan the rows of every table that references it.',
      `SQLite ignores PRAGMA foreign_keys inside a transaction, so it must be switched off before BEGIN. ${HOW_TO_CALL}`,
    );
  }
}

const isPunct = (token: SqlToken | undefined, ch: string): boolean => token?.kind === 'punct' && token.text === ch;
const isWord = (token: SqlToken | undefined, word: string): boolean => token?.kind === 'word' && token.text.toUpperCase() === word;
const isName = (token: SqlToken | undefined): token is SqlToken => token?.kind === 'word' || token?.kind === 'quoted' || token?.kind === 'string';

/** Whether the CREATE TABLE's options (after its column list) include WITHOUT ROWID. */
function isWithoutRowid(sql: string): boolean {
  const tokens = significantTokens(sql);
  let depth = 0;
  return tokens.some((token, i) => {
    if (isPunct(token, '(')) depth++;
    if (isPunct(token, ')')) depth--;
    return depth === 0 && isWord(token, 'WITHOUT') && isWord(tokens[i + 1], 'ROWID');
  });
}

/**
 * The caller's CREATE TABLE, checked (one statement, creating this table in
 * main, with a column list) and retargeted at the temporary name, token by
 * token: only the name changes; everything else is the caller's text.
 */
function retargetCreateSql(createSql: string, table: string, temporary: string): string {
  const bad = (why: string): UsageError =>
    refusal(table, `options.createSql ${why}`, `Give one statement of the form CREATE TABLE ${quoteIdentifier(table)} (column definitions, constraints) [WITHOUT ROWID] [STRICT].`);
  const all = tokenize(createSql);
  const open = all.find((t) => t.unterminated !== undefined);
  if (open !== undefined) throw bad(`cannot be read: ${open.unterminated ?? ''}.`);
  const tokens = all.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  if (!isWord(tokens[0], 'CREATE')) throw bad('does not start with CREATE TABLE.');
  if (isWord(tokens[1], 'TEMP') || isWord(tokens[1], 'TEMPORARY')) throw bad('creates a TEMP table; the rebuilt table must stay in the main schema.');
  if (!isWord(tokens[1], 'TABLE')) throw bad('is not a CREATE TABLE statement.');
  let at = isWord(tokens[2], 'IF') && isWord(tokens[3], 'NOT') && isWord(tokens[4], 'EXISTS') ? 5 : 2;
  const first = tokens[at];
  if (!isName(first)) throw bad('names no table.');
  let schema: SqlToken | undefined;
  let name = first;
  if (isPunct(tokens[at + 1], '.')) {
    const second = tokens[at + 2];
    if (!isName(second)) throw bad('names no table after the schema.');
    schema = first;
    name = second;
    at += 2;
  }
  if (schema !== undefined && foldCase(identifierName(schema)) !== 'main') throw bad(`creates the table in schema ${quoteIdentifier(identifierName(schema))}, not main.`);
  if (foldCase(identifierName(name)) !== foldCase(table)) {
    throw bad(`creates ${quoteIdentifier(identifierName(name))}, not ${quoteIdentifier(table)}: write it with the table's own name (rebuildTable swaps it in under a temporary name).`);
  }
  if (!isPunct(tokens[at + 1], '(')) throw bad('has no column list (CREATE TABLE … AS SELECT cannot be rebuilt into).');
  const semicolon = tokens.findIndex((t) => isPunct(t, ';'));
  if (semicolon !== -1 && semicolon < tokens.length - 1) throw bad('holds more than one statement.');
  return `${createSql.slice(0, (schema ?? name).start)}${quoteIdentifier(temporary)}${createSql.slice(name.end)}`;
}

function readTable(db: SqliteDatabase, table: string): { name: string; sql: string } {
  const row = db
    .prepare("SELECT type, name, sql FROM main.sqlite_master WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')")
    .get(table) as { type: string; name: string; sql: string | null } | undefined;
  if (row === undefined) {
    throw refusal(table, 'there is no such table in the main schema.', 'Check the name (the migrations before this one may not have created it yet).');
  }
  if (row.type !== 'table' || row.sql === null) throw refusal(table, `${quoteIdentifier(row.name)} is a ${row.type}, not a table.`, 'Only ordinary tables can be rebuilt.');
  if (/^sqlite_/i.test(row.name)) throw refusal(table, 'it is one of SQLite\'s internal tables.', 'Internal tables cannot be rebuilt.');
  if (isWord(significantTokens(row.sql)[1], 'VIRTUAL')) {
    throw refusal(table, 'it is a virtual table.', 'Virtual tables (FTS, R*Tree, …) are rebuilt by dropping and recreating them with their module, not by rebuildTable.');
  }
  const shadow = db.prepare('SELECT type FROM temp.sqlite_master WHERE name = ? COLLATE NOCASE').get(row.name) as { type: string } | undefined;
  if (shadow !== undefined) {
    throw refusal(table, `a TEMP ${shadow.type} of the same name shadows the table on this connection.`, `Drop the TEMP ${shadow.type} first, or rebuild on another connection.`);
  }
  return { name: row.name, sql: row.sql };
}

/** A name no object in main or temp has (SQLite compares names ignoring ASCII case). */
function freeName(db: SqliteDatabase, base: string): string {
  const taken = db.prepare(
    'SELECT 1 FROM main.sqlite_master WHERE name = ? COLLATE NOCASE UNION ALL SELECT 1 FROM temp.sqlite_master WHERE name = ? COLLATE NOCASE',
  );
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    if (taken.get(name, name) === undefined) return name;
  }
}

function readSchemaObjects(db: SqliteDatabase, schema: 'main' | 'temp'): SchemaObject[] {
  const rows = db
    .prepare(`SELECT type, name, tbl_name AS tableName, sql FROM ${schema}.sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid`)
    .all() as { type: 'index' | 'trigger' | 'view'; name: string; tableName: string; sql: string }[];
  return rows.map((row) => ({ schema, ...row }));
}

/**
 * Step 3: what refers to the table. Indexes by tbl_name. Triggers and views by
 * the identifier tokens of their SQL (never a substring: "parent_archive" does
 * not mention "parent"), transitively through views — a view over a dropped
 * view must go too, or SQLite's rename check fails on it. String tokens count
 * as names because SQLite accepts FROM 'table'; a false match only means an
 * object is dropped and recreated exactly as it was.
 */
function findDependents(db: SqliteDatabase, table: string): { indexes: SchemaObject[]; triggers: SchemaObject[]; views: SchemaObject[] } {
  const objects = [...readSchemaObjects(db, 'main'), ...readSchemaObjects(db, 'temp')];
  const indexes = objects.filter((o) => o.type === 'index' && o.schema === 'main' && foldCase(o.tableName) === foldCase(table));
  const names = new Map(objects.map((o) => [o, new Set(significantTokens(o.sql).filter(isName).map((t) => foldCase(identifierName(t))))]));
  const gone = new Set([foldCase(table)]);
  const chosen = new Set<SchemaObject>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const object of objects) {
      if (object.type === 'index' || chosen.has(object)) continue;
      if (![...(names.get(object) ?? [])].some((name) => gone.has(name))) continue;
      chosen.add(object);
      if (object.type === 'view') gone.add(foldCase(object.name));
      grew = true;
    }
  }
  const inOrder = objects.filter((o) => chosen.has(o));
  return { indexes, triggers: inOrder.filter((o) => o.type === 'trigger'), views: inOrder.filter((o) => o.type === 'view') };
}

function tableColumns(db: SqliteDatabase, table: string): ColumnInfo[] {
  return db.prepare('SELECT name, type, pk, hidden FROM pragma_table_xinfo(?, \'main\') ORDER BY cid').all(table) as ColumnInfo[];
}

/** A name for the rowid that no column shadows, if any is left. */
function rowidName(columns: readonly ColumnInfo[]): string | undefined {
  return ['rowid', '_rowid_', 'oid'].find((alias) => !columns.some((c) => foldCase(c.name) === alias));
}

interface CopyPlan {
  /** Quoted target columns of the new table. */
  readonly targets: string[];
  /** The SQL expression over the old row for each target. */
  readonly sources: string[];
  /** The old table's rowid, when rows can be copied in rowid ranges. */
  readonly rowid: string | undefined;
}

function planCopy(db: SqliteDatabase, old: { name: string; sql: string }, temporary: string, createSql: string, mapped: Readonly<Record<string, string | null>>): CopyPlan {
  const oldColumns = tableColumns(db, old.name);
  const newColumns = tableColumns(db, temporary);
  const byName = new Map(newColumns.map((c) => [foldCase(c.name), c]));
  const explicit = new Map<string, string | null>();
  for (const [column, expression] of Object.entries(mapped)) {
    const target = byName.get(foldCase(column));
    if (target === undefined) {
      throw refusal(old.name, `options.columns names ${quoteIdentifier(column)}, which the new table does not have.`, `The new table's columns are: ${newColumns.map((c) => c.name).join(', ')}.`);
    }
    if (target.hidden !== 0) throw refusal(old.name, `options.columns names ${quoteIdentifier(target.name)}, a generated column.`, 'Generated columns compute their own values: leave them out of columns.');
    explicit.set(foldCase(target.name), expression);
  }
  const oldByName = new Map(oldColumns.map((c) => [foldCase(c.name), c]));
  const targets: string[] = [];
  const sources: string[] = [];
  for (const column of newColumns) {
    if (column.hidden !== 0) continue; // generated: SQLite computes it
    const key = foldCase(column.name);
    const expression = explicit.has(key) ? explicit.get(key) : oldByName.has(key) ? quoteIdentifier(oldByName.get(key)?.name ?? column.name) : null;
    if (expression === null || expression === undefined) continue;
    targets.push(quoteIdentifier(column.name));
    sources.push(explicit.has(key) ? `(${expression})` : expression);
  }
  const oldRowid = isWithoutRowid(old.sql) ? undefined : rowidName(oldColumns);
  // Keep the rowids of a table without an INTEGER PRIMARY KEY (external-content
  // FTS tables and anything else that stored them depend on them). With an
  // INTEGER PRIMARY KEY, the rowid is that column, copied like any other.
  const keys = newColumns.filter((c) => c.pk > 0);
  const aliased = keys.length === 1 && keys[0]?.type.toUpperCase() === 'INTEGER';
  const newRowid = isWithoutRowid(createSql) || aliased ? undefined : rowidName(newColumns);
  if (oldRowid !== undefined && newRowid !== undefined) {
    targets.unshift(newRowid);
    sources.unshift(oldRowid);
  }
  if (targets.length === 0) {
    throw refusal(old.name, 'no column of the new table would get a value from the old rows.', 'Map at least one column in options.columns, or keep a column name the old table has.');
  }
  return { targets, sources, rowid: oldRowid };
}

/**
 * Step 5: INSERT … SELECT, the same single statement a hand-written rebuild
 * runs. With onProgress, in ranges of CHUNK_ROWS rowids instead (rowids stay
 * in SQL, as text, so 64-bit values survive); finding each range's end walks
 * the rows once more, ~2% of a rebuild, paid only for progress.
 */
function copyRows(db: SqliteDatabase, oldName: string, temporary: string, plan: CopyPlan, onProgress: RebuildOptions['onProgress']): number {
  const from = `main.${quoteIdentifier(oldName)}`;
  const insert = `INSERT INTO main.${quoteIdentifier(temporary)} (${plan.targets.join(', ')}) SELECT ${plan.sources.join(', ')} FROM ${from}`;
  if (onProgress === undefined) return Number(db.prepare(insert).run().changes);
  const total = count(db, oldName);
  const rowid = plan.rowid;
  if (rowid === undefined) {
    const copied = Number(db.prepare(insert).run().changes);
    onProgress(copied, total);
    return copied;
  }
  const above = `${rowid} > CAST(? AS INTEGER)`;
  const upTo = `${rowid} <= CAST(? AS INTEGER)`;
  const boundFirst = db.prepare(`SELECT CAST(${rowid} AS TEXT) AS bound FROM ${from} ORDER BY ${rowid} LIMIT 1 OFFSET ${CHUNK_ROWS - 1}`);
  const boundNext = db.prepare(`SELECT CAST(${rowid} AS TEXT) AS bound FROM ${from} WHERE ${above} ORDER BY ${rowid} LIMIT 1 OFFSET ${CHUNK_ROWS - 1}`);
  let copied = 0;
  let reported = -1;
  let after: string | undefined;
  for (;;) {
    const row = (after === undefined ? boundFirst.get() : boundNext.get(after)) as { bound: string } | undefined;
    const where = [after === undefined ? undefined : above, row === undefined ? undefined : upTo].filter((w) => w !== undefined);
    const params = [after, row?.bound].filter((p) => p !== undefined);
    const sql = `${insert}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY ${rowid}`;
    copied += Number(db.prepare(sql).run(...params).changes);
    // Once per range that copied something (a row count that is a multiple of the range ends with an empty one).
    if (copied !== reported) onProgress(copied, total);
    reported = copied;
    if (row === undefined) return copied;
    after = row.bound;
  }
}

function count(db: SqliteDatabase, table: string): number {
  const row = db.prepare(`SELECT count(*) AS n FROM main.${quoteIdentifier(table)}`).get() as { n: number };
  return Number(row.n);
}

/**
 * Without a conflict clause in the new CREATE TABLE, INSERT … SELECT copies
 * every row or fails, so nothing needs counting (two count(*) passes saved,
 * ~2% of a rebuild). ON CONFLICT IGNORE or REPLACE can drop rows silently:
 * then the tables are counted.
 */
function assertNoRowDropped(db: SqliteDatabase, table: string, temporary: string, createSql: string): void {
  if (!significantTokens(createSql).some((t) => isWord(t, 'CONFLICT'))) return;
  const total = count(db, table);
  const landed = count(db, temporary);
  if (landed === total) return;
  throw failure(
    table,
    'copying the rows',
    new Error(`the old table has ${total} rows, the new one ${landed}`),
    'A conflict clause in the new CREATE TABLE (ON CONFLICT IGNORE or REPLACE) dropped rows: remove it, or remove the duplicate rows before rebuildTable.',
  );
}

/**
 * DROP TABLE forgets an AUTOINCREMENT table's counter, and the copy only sets
 * the new one to the largest id present: ids of deleted rows would be handed
 * out again. Carry the old counter over (in SQL, so 64-bit values survive).
 */
function keepAutoincrementCounter(db: SqliteDatabase, oldName: string, temporary: string, createSql: string): void {
  if (!significantTokens(createSql).some((t) => isWord(t, 'AUTOINCREMENT'))) return;
  if (db.prepare("SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'").get() === undefined) return;
  db.prepare('UPDATE main.sqlite_sequence SET seq = max(seq, coalesce((SELECT max(seq) FROM main.sqlite_sequence WHERE name = ?), seq)) WHERE name = ?').run(oldName, temporary);
  db.prepare(
    'INSERT INTO main.sqlite_sequence (name, seq) SELECT ?, seq FROM (SELECT max(seq) AS seq FROM main.sqlite_sequence WHERE name = ?) ' +
      'WHERE seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.sqlite_sequence WHERE name = ?)',
  ).run(temporary, oldName, temporary);
}

/** The saved SQL, made runnable again: sqlite_temp_master stores TEMP objects without the TEMP keyword. */
function recreateSql(object: SchemaObject): string {
  if (object.schema === 'main') return object.sql;
  const create = significantTokens(object.sql)[0];
  return create === undefined ? object.sql : `${object.sql.slice(0, create.end)} TEMP${object.sql.slice(create.end)}`;
}

/**
 * The check SQLite itself makes on ALTER TABLE … RENAME: it parses every
 * trigger and view against the current schema. Run on a scratch table inside a
 * savepoint that is always rolled back, so it leaves no trace. Returns
 * SQLite's complaint, or undefined when the schema is consistent.
 */
function schemaProblem(db: SqliteDatabase): string | undefined {
  const scratch = freeName(db, 'drawbridge_schema_check');
  const renamed = freeName(db, `${scratch}_renamed`);
  db.exec('SAVEPOINT drawbridge_schema_check');
  try {
    db.prepare(`CREATE TABLE main.${quoteIdentifier(scratch)} (x)`).run();
    db.prepare(`ALTER TABLE main.${quoteIdentifier(scratch)} RENAME TO ${quoteIdentifier(renamed)}`).run();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK TO drawbridge_schema_check; RELEASE drawbridge_schema_check');
  }
}

function readLegacyAlterTable(db: SqliteDatabase): boolean {
  const row = db.prepare('PRAGMA legacy_alter_table').get() as { legacy_alter_table: number } | undefined;
  return row?.legacy_alter_table === 1;
}

/**
 * Rebuild `options.table` as `options.createSql` describes, keeping its rows,
 * indexes, triggers and views. Call it inside a transaction with foreign keys
 * OFF — in a migration, with ctx.db — and let foreign_key_check run before
 * COMMIT (drawbridge's runner does both).
 */
export function rebuildTable(db: SqliteDatabase, options: RebuildOptions): RebuildResult {
  checkOptions(options);
  refuseUnsafeConnection(db, options.table);
  const old = readTable(db, options.table);
  const table = old.name;
  // The procedure depends on ALTER TABLE … RENAME checking and updating the
  // schema the modern way; switch legacy mode off for the call if it is on.
  const legacy = readLegacyAlterTable(db);
  if (legacy) db.exec('PRAGMA legacy_alter_table = OFF');
  try {
    const existing = schemaProblem(db);
    if (existing !== undefined) {
      throw refusal(
        table,
        `the schema already has an error SQLite reports: ${existing}.`,
        'SQLite checks every trigger and view when a table is renamed (step 7 of the rebuild), so nothing can be rebuilt until that object is fixed: drop or recreate it before calling rebuildTable.',
      );
    }
    const temporary = freeName(db, `${table}_drawbridge_new`);
    const createTemporary = retargetCreateSql(options.createSql, table, temporary);
    const dependents = findDependents(db, table);
    db.exec(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const result = rebuildInSavepoint(db, old, options, temporary, createTemporary, dependents);
      db.exec(`RELEASE ${SAVEPOINT}`);
      return result;
    } catch (error) {
      // SQLite may already have rolled the whole transaction back (e.g. a full disk).
      if (db.inTransaction) db.exec(`ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT}`);
      throw error;
    }
  } finally {
    if (legacy) db.exec('PRAGMA legacy_alter_table = ON');
  }
}

function rebuildInSavepoint(
  db: SqliteDatabase,
  old: { readonly name: string; readonly sql: string },
  options: RebuildOptions,
  temporary: string,
  createTemporary: string,
  dependents: ReturnType<typeof findDependents>,
): RebuildResult {
  const table = old.name;
  const step = <T>(what: string, todo: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw failure(table, what, error, todo);
    }
  };
  // Step 4: the new table, under a temporary name.
  step('creating the new table from options.createSql', 'Fix the CREATE TABLE statement in options.createSql.', () => db.prepare(createTemporary).run());
  // Step 5: the rows, in SQL.
  const plan = planCopy(db, old, temporary, options.createSql, options.columns ?? {});
  const rowsCopied = step(
    `copying the rows of ${quoteIdentifier(table)} into the new table (built as ${quoteIdentifier(temporary)}, columns ${plan.targets.join(', ')})`,
    'Some old rows do not fit the new definition (a CHECK, NOT NULL, UNIQUE or type): fix them first with an UPDATE or DELETE before rebuildTable, ' +
      'or compute the column from the old row in options.columns.',
    () => copyRows(db, table, temporary, plan, options.onProgress),
  );
  assertNoRowDropped(db, table, temporary, options.createSql);
  keepAutoincrementCounter(db, table, temporary, options.createSql);
  // Triggers and views that mention the table would make the rename fail (or
  // keep stale SQL): drop them now, recreate them from their SQL below.
  step('dropping the triggers and views that refer to the table', 'Report this as a drawbridge bug, with the schema.', () => {
    for (const trigger of dependents.triggers) db.prepare(`DROP TRIGGER ${trigger.schema}.${quoteIdentifier(trigger.name)}`).run();
    for (const view of [...dependents.views].reverse()) db.prepare(`DROP VIEW ${view.schema}.${quoteIdentifier(view.name)}`).run();
  });
  // Step 6, with foreign keys off: no cascade, children untouched.
  step('dropping the old table', 'Report this as a drawbridge bug, with the schema.', () => db.prepare(`DROP TABLE main.${quoteIdentifier(table)}`).run());
  // Step 7: legacy_alter_table is off, so SQLite checks the schema and updates references.
  step(
    `renaming the new table to ${quoteIdentifier(table)}`,
    'SQLite checks every trigger and view when it renames a table: fix or drop the object it names before calling rebuildTable.',
    () => db.prepare(`ALTER TABLE main.${quoteIdentifier(temporary)} RENAME TO ${quoteIdentifier(table)}`).run(),
  );
  // Step 8: everything that referred to the old table, from its saved SQL.
  const recreate = (objects: readonly SchemaObject[]): string[] =>
    objects.map((object) =>
      step(
        `recreating ${object.type} ${quoteIdentifier(object.name)}`,
        `It does not fit the new table (does it use a column that was dropped or renamed?): drop it before calling rebuildTable ` +
          `(DROP ${object.type.toUpperCase()} ${quoteIdentifier(object.name)}) and create its new form after.`,
        () => {
          db.prepare(recreateSql(object)).run();
          return object.name;
        },
      ),
    );
  const indexes = recreate(dependents.indexes);
  const views = recreate(dependents.views);
  const triggers = recreate(dependents.triggers);
  // Step 9's check: a trigger or view may no longer fit the new columns.
  const problem = schemaProblem(db);
  if (problem !== undefined) {
    throw failure(
      table,
      'checking the recreated triggers and views',
      new Error(problem),
      'A trigger or view that refers to the table no longer fits its new columns: drop it before calling rebuildTable and create its new form after.',
    );
  }
  return { table, rowsCopied, recreated: { indexes, triggers, views } };
}
