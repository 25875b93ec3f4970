import type { SqliteDatabase } from '../../sqlite/connection.js';
import type { ForeignHistory, ForeignTool } from '../types.js';
import type { ShapedTable } from './table-shape.js';

export interface ReadContext {
  readonly db: SqliteDatabase;
  readonly table: ShapedTable;
  /** What recognise() said the table is. */
  readonly tool: ForeignTool;
  /** Every table of the database, by case-folded name (knex reads its lock table beside its history). */
  readonly tables: ReadonlyMap<string, ShapedTable>;
}

/** One kind of tracking table another tool leaves behind, under its default name. */
export interface ForeignTableKind {
  /** The tool's default table name; matched ignoring ASCII case, as SQLite does. */
  readonly table: string;
  /** The tool that keeps a table of this name and these columns; undefined when the shape is not that tool's. */
  recognise(table: ShapedTable): ForeignTool | undefined;
  /** Read the table into a history. Absent for tables read as part of another (knex's lock). */
  readonly read?: (context: ReadContext) => ForeignHistory;
}
