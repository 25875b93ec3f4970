import type { SqliteDatabase } from '../sqlite/connection.js';
import type { DatabaseFacts, RawColumn, RawForeignKey, RawIndex, RawIndexColumn, RawObject, RawSchema } from './types.js';

/**
 * Read the whole schema in one statement: sqlite_schema joined with the
 * pragma table functions (table_xinfo, index_list, index_xinfo,
 * foreign_key_list). One query pass, whatever the number of tables — not one
 * PRAGMA per table. Table names are passed to the pragma functions as values,
 * never spliced into SQL, so a hostile name is just data.
 *
 * Virtual tables are left out of the pragma joins: their columns need the
 * module loaded, and a database using a module we lack must still be readable.
 */
const SCHEMA_QUERY = `
WITH objs AS (
  SELECT type, name, tbl_name, sql FROM main.sqlite_schema
),
tabs AS (
  SELECT name FROM objs
  WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'
),
idx AS (
  SELECT t.name AS tbl, il.name, il."unique", il.origin, il.partial FROM tabs t, pragma_index_list(t.name, 'main') il
)
SELECT 'o' AS k, type AS a, name AS b, tbl_name AS c, sql AS d, NULL AS e, NULL AS f, NULL AS g, NULL AS h, NULL AS i FROM objs
UNION ALL
SELECT 'c', t.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden, NULL FROM tabs t, pragma_table_xinfo(t.name, 'main') p
UNION ALL
SELECT 'i', tbl, name, "unique", origin, partial, NULL, NULL, NULL, NULL FROM idx
UNION ALL
SELECT 'x', idx.name, x.seqno, x.cid, x.name, x."desc", x.coll, x."key", NULL, NULL FROM idx, pragma_index_xinfo(idx.name, 'main') x
UNION ALL
SELECT 'f', t.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, f."match" FROM tabs t, pragma_foreign_key_list(t.name, 'main') f
`;

const FACTS_QUERY = `
SELECT uv.user_version, ai.application_id, jm.journal_mode, ps.page_size, pc.page_count,
       fl.freelist_count, en.encoding, sv.schema_version
FROM pragma_user_version uv, pragma_application_id ai, pragma_journal_mode jm, pragma_page_size ps,
     pragma_page_count pc, pragma_freelist_count fl, pragma_encoding en, pragma_schema_version sv
`;

/** Schema and pragma values are text or integers, never blobs. */
type Value = string | number | bigint | null;
type Row = { k: string; a: Value; b: Value; c: Value; d: Value; e: Value; f: Value; g: Value; h: Value; i: Value };

const text = (v: Value): string => (v === null ? '' : String(v));
const textOrNull = (v: Value): string | null => (v === null ? null : String(v));

export function readRawSchema(db: SqliteDatabase): RawSchema {
  const objects: RawObject[] = [];
  const columns: RawColumn[] = [];
  const indexes: RawIndex[] = [];
  const indexColumns: RawIndexColumn[] = [];
  const foreignKeys: RawForeignKey[] = [];
  for (const r of db.prepare(SCHEMA_QUERY).all() as Row[]) {
    switch (r.k) {
      case 'o':
        objects.push({ type: text(r.a) as RawObject['type'], name: text(r.b), tableName: text(r.c), sql: textOrNull(r.d) });
        break;
      case 'c':
        columns.push({ table: text(r.a), cid: Number(r.b), name: text(r.c), type: text(r.d), notNull: Number(r.e) === 1, defaultSql: textOrNull(r.f), pk: Number(r.g), hidden: Number(r.h) });
        break;
      case 'i':
        indexes.push({ table: text(r.a), name: text(r.b), unique: Number(r.c) === 1, origin: text(r.d) as RawIndex['origin'], partial: Number(r.e) === 1 });
        break;
      case 'x':
        indexColumns.push({ index: text(r.a), seqno: Number(r.b), cid: Number(r.c), name: textOrNull(r.d), descending: Number(r.e) === 1, collation: text(r.f), key: Number(r.g) === 1 });
        break;
      case 'f':
        foreignKeys.push({ table: text(r.a), id: Number(r.b), seq: Number(r.c), parent: text(r.d), from: text(r.e), to: textOrNull(r.f), onUpdate: text(r.g), onDelete: text(r.h), match: text(r.i) });
        break;
      default:
        break;
    }
  }
  return { objects, columns, indexes, indexColumns, foreignKeys };
}

interface FactsRow {
  user_version: number;
  application_id: number;
  journal_mode: string;
  page_size: number;
  page_count: number;
  freelist_count: number;
  encoding: string;
  schema_version: number;
}

export function readFacts(db: SqliteDatabase): DatabaseFacts {
  const row = db.prepare(FACTS_QUERY).get() as FactsRow;
  return {
    userVersion: row.user_version,
    applicationId: row.application_id,
    journalMode: row.journal_mode,
    pageSize: row.page_size,
    pageCount: row.page_count,
    freelistCount: row.freelist_count,
    encoding: row.encoding,
    schemaVersion: row.schema_version,
  };
}
