/**
 * The schema model: what a database *is*, as plain data.
 *
 * RawSchema is what SQLite reports (one query over sqlite_schema joined with
 * the pragma table functions). SchemaSnapshot is its semantic normal form:
 * two databases have equal snapshots exactly when their schemas mean the same
 * thing — column order, whitespace, quoting and identifier case never make
 * them differ; a type affinity, a default, a constraint, an index, a foreign
 * key action or a trigger body always does. A Fingerprint adds the file-level
 * facts (user_version, journal mode, …) and the schema hash.
 */

// ---- raw rows, as SQLite reports them --------------------------------------

export interface RawObject {
  readonly type: 'table' | 'index' | 'view' | 'trigger';
  readonly name: string;
  readonly tableName: string;
  readonly sql: string | null;
}

export interface RawColumn {
  readonly table: string;
  readonly cid: number;
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly defaultSql: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly pk: number;
  /** pragma_table_xinfo's hidden: 0 normal, 1 hidden (virtual table), 2 generated virtual, 3 generated stored. */
  readonly hidden: number;
}

export interface RawIndex {
  readonly table: string;
  readonly name: string;
  readonly unique: boolean;
  /** 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY constraint. */
  readonly origin: 'c' | 'u' | 'pk';
  readonly partial: boolean;
}

export interface RawIndexColumn {
  readonly index: string;
  readonly seqno: number;
  /** -1 the rowid, -2 an expression. */
  readonly cid: number;
  readonly name: string | null;
  readonly descending: boolean;
  readonly collation: string;
  /** false for the auxiliary columns an index stores after its key. */
  readonly key: boolean;
}

export interface RawForeignKey {
  readonly table: string;
  readonly id: number;
  readonly seq: number;
  readonly parent: string;
  readonly from: string;
  readonly to: string | null;
  readonly onUpdate: string;
  readonly onDelete: string;
  readonly match: string;
}

export interface RawSchema {
  readonly objects: readonly RawObject[];
  readonly columns: readonly RawColumn[];
  readonly indexes: readonly RawIndex[];
  readonly indexColumns: readonly RawIndexColumn[];
  readonly foreignKeys: readonly RawForeignKey[];
}

// ---- the semantic snapshot ---------------------------------------------------

export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

export interface ColumnSnapshot {
  readonly name: string;
  readonly affinity: Affinity;
  /** STRICT tables only, where the declared type is the type; null elsewhere (only the affinity counts). */
  readonly declaredType: string | null;
  readonly notNull: boolean;
  /** The default as normalised SQL, or null. */
  readonly default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly primaryKey: number;
  /** Upper-case collation name; BINARY when none is declared. */
  readonly collation: string;
  /** Generated columns: how, and the normalised expression. */
  readonly generated: { readonly stored: boolean; readonly expression: string } | null;
}

export interface ForeignKeySnapshot {
  readonly columns: readonly string[];
  readonly parentTable: string;
  /** The parent's key columns; resolved to its primary key when the clause omits them. */
  readonly parentColumns: readonly string[];
  readonly onUpdate: string;
  readonly onDelete: string;
  readonly match: string;
}

export interface TableSnapshot {
  readonly name: string;
  /** Keyed by lower-case column name: order never matters. */
  readonly columns: Readonly<Record<string, ColumnSnapshot>>;
  readonly primaryKey: readonly string[];
  readonly autoincrement: boolean;
  readonly withoutRowid: boolean;
  readonly strict: boolean;
  /** Virtual tables: the normalised CREATE VIRTUAL TABLE statement; null for ordinary tables. */
  readonly virtual: string | null;
  /** Every CHECK constraint (column or table level), normalised, sorted. */
  readonly checks: readonly string[];
  /** Every UNIQUE constraint's columns (lower-case), sorted. */
  readonly uniques: readonly (readonly string[])[];
  /** Sorted. */
  readonly foreignKeys: readonly ForeignKeySnapshot[];
}

export interface IndexColumnSnapshot {
  /** Lower-case column name, or null for an expression. */
  readonly column: string | null;
  /** Normalised expression, for expression indexes. */
  readonly expression: string | null;
  readonly descending: boolean;
  readonly collation: string;
}

export interface IndexSnapshot {
  readonly name: string;
  readonly table: string;
  readonly unique: boolean;
  readonly columns: readonly IndexColumnSnapshot[];
  /** The partial index's WHERE clause, normalised; null for a full index. */
  readonly where: string | null;
}

export interface TriggerSnapshot {
  readonly name: string;
  readonly table: string;
  /** The whole CREATE TRIGGER statement, normalised. */
  readonly sql: string;
}

export interface ViewSnapshot {
  readonly name: string;
  /** The whole CREATE VIEW statement, normalised. */
  readonly sql: string;
}

/** All maps are keyed by case-folded name (SQLite folds ASCII case in identifiers). */
export interface SchemaSnapshot {
  readonly tables: Readonly<Record<string, TableSnapshot>>;
  readonly indexes: Readonly<Record<string, IndexSnapshot>>;
  readonly triggers: Readonly<Record<string, TriggerSnapshot>>;
  readonly views: Readonly<Record<string, ViewSnapshot>>;
}

// ---- the fingerprint ----------------------------------------------------------

export interface DatabaseFacts {
  readonly userVersion: number;
  readonly applicationId: number;
  readonly journalMode: string;
  readonly pageSize: number;
  readonly pageCount: number;
  readonly freelistCount: number;
  readonly encoding: string;
  /** Bumped by SQLite on every schema change: a cheap "has anything changed" marker. */
  readonly schemaVersion: number;
}

export interface TrackingTablePresence {
  /** The tool that keeps this table ("drawbridge", "knex", …). */
  readonly tool: string;
  readonly table: string;
}

/** The tools whose tracking tables drawbridge can read and import. */
export type ForeignTool = 'knex' | 'sequelize' | 'prisma' | 'drizzle' | 'd1' | 'dbmate' | 'golang-migrate' | 'flyway' | 'plain';

/**
 * applied: the tool considers it done. dirty: golang-migrate's flag, a
 * migration stopped half-way. failed: Prisma (finished_at and rolled_back_at
 * both NULL) or Flyway (success = 0). rolled-back: Prisma's rolled_back_at or
 * a Flyway undo; not applied. Only `applied` rows are ever imported.
 */
export type ForeignRowStatus = 'applied' | 'dirty' | 'failed' | 'rolled-back';

/** A primitive stored value; blobs are rendered as hex text. */
export type SourceValue = string | number | null;

export interface ForeignRow {
  /**
   * How the tool names the migration: knex/sequelize/d1/plain the file name,
   * prisma migration_name, drizzle the hash, dbmate/golang-migrate the
   * version, flyway the version (the script for repeatable migrations).
   */
  readonly id: string;
  readonly status: ForeignRowStatus;
  /** ISO-8601 UTC when the tool recorded when; null when it did not. */
  readonly appliedAt: string | null;
  readonly durationMs: number | null;
  /** The tool's own checksum, as text, when it keeps one. */
  readonly checksum: string | null;
  /** The row exactly as stored, every column. */
  readonly source: Readonly<Record<string, SourceValue>>;
}

export interface ForeignHistory {
  readonly tool: ForeignTool;
  readonly table: string;
  /**
   * golang-migrate keeps one row, the current version: every migration up to
   * it is applied. Every other tool keeps a row per applied migration.
   */
  readonly cumulative: boolean;
  /** In the order the tool applied them. */
  readonly rows: readonly ForeignRow[];
  /** knex_migrations_lock says a migration run holds the lock (it crashed, or is running now). */
  readonly locked: boolean;
}

export interface Fingerprint {
  readonly file: string;
  readonly facts: DatabaseFacts;
  /** Files beside the database that were present when it was probed. */
  readonly sidecars: { readonly wal: boolean; readonly shm: boolean; readonly journal: boolean };
  /** Migration tracking tables found (drawbridge's and other tools'). */
  readonly trackingTables: readonly TrackingTablePresence[];
  /** The rows of other tools' tracking tables, read and normalised. */
  readonly foreignHistories: readonly ForeignHistory[];
  /** Every schema object with its SQL, as stored (internal sqlite_ objects left out). */
  readonly objects: readonly RawObject[];
  readonly snapshot: SchemaSnapshot;
  /** sha256 of the snapshot's canonical JSON: equal hashes, equal schemas. */
  readonly schemaHash: string;
  /** Whether the probe read a private copy (WAL databases, hot journals) to leave the original untouched. */
  readonly readFromCopy: boolean;
}
