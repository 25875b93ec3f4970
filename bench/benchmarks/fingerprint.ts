/**
 * Target 2: the fingerprint of a 200-table × 15-column schema (two indexes
 * and a foreign key per table), `probeDatabase` on an open handle, against
 * the one-query floor: sqlite_schema ⋈ pragma_table_info, its rows returned
 * as objects and nothing else done with them.
 *
 * The fingerprint reads more than the floor: index lists, index columns and
 * foreign keys (three more pragma functions per table), the facts pragmas,
 * and every CREATE statement, then normalises all of it into a snapshot and
 * hashes it. Two figures say what that costs:
 * - repeated: the same schema probed again, as an app does on every start and
 *   a fleet does for each install of one release. The whole schema query runs
 *   every time; what the probe skips is re-deriving the snapshot and hash from
 *   bytes it has already seen (it remembers them by content).
 * - first: the first probe of a schema in a process (that memory cleared
 *   before every call), against the floor and against the closest honest
 *   floor for what the snapshot needs: the same reads drawbridge makes,
 *   returned as rows, with no normalising or hashing.
 * Context: 200 × `PRAGMA table_info` (the naive peer) and `PRAGMA schema_version`.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { probeDatabase } from '../../src/index.js';
import { forgetSchemas } from '../../src/probe/schema-memo.js';
import { figure, type Benchmark, type BenchOptions, type Figure, type Measurement } from '../figure.js';
import { compare } from '../measure.js';

const COLUMNS_PER_TABLE = 15;

function tableSql(t: number): string {
  const parent = t === 0 ? 'parent_id INTEGER' : `parent_id INTEGER REFERENCES t${t - 1}(id) ON DELETE CASCADE`;
  const columns = [
    'id INTEGER PRIMARY KEY',
    parent,
    'name TEXT NOT NULL',
    "status TEXT NOT NULL DEFAULT 'new'",
    'created_at INTEGER NOT NULL',
    'updated_at INTEGER',
    'amount REAL DEFAULT 0',
    'note TEXT COLLATE NOCASE',
    'flags INTEGER NOT NULL DEFAULT 0',
    'data BLOB',
    'code TEXT',
    'score NUMERIC',
    'owner TEXT',
    "kind TEXT CHECK (kind IN ('a', 'b'))",
    'extra TEXT',
  ];
  return `CREATE TABLE t${t} (${columns.join(', ')});
    CREATE INDEX t${t}_parent ON t${t} (parent_id);
    CREATE INDEX t${t}_status_created ON t${t} (status, created_at DESC);`;
}

function createSchema(file: string, tables: number): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      for (let t = 0; t < tables; t++) db.exec(tableSql(t));
    })();
  } finally {
    db.close();
  }
}

const FLOOR = "SELECT s.name AS tbl, p.* FROM sqlite_schema s, pragma_table_info(s.name) p WHERE s.type = 'table'";

/** What the probe reads, as rows: the schema query of drawbridge before it read JSON, and the facts pragmas. */
const RAW_READS = [
  `WITH tabs AS (SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'),
   idx AS MATERIALIZED (SELECT t.name AS tbl, il.name, il."unique", il.origin, il.partial FROM tabs t, pragma_index_list(t.name, 'main') il)
   SELECT 'o' AS k, type AS a, name AS b, tbl_name AS c, sql AS d, NULL AS e, NULL AS f, NULL AS g, NULL AS h, NULL AS i FROM main.sqlite_schema
   UNION ALL SELECT 'c', t.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden, NULL FROM tabs t, pragma_table_xinfo(t.name, 'main') p
   UNION ALL SELECT 'i', tbl, name, "unique", origin, partial, NULL, NULL, NULL, NULL FROM idx
   UNION ALL SELECT 'x', idx.name, x.seqno, x.cid, x.name, x."desc", x.coll, x."key", NULL, NULL FROM idx, pragma_index_xinfo(idx.name, 'main') x
   UNION ALL SELECT 'f', t.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, f."match" FROM tabs t, pragma_foreign_key_list(t.name, 'main') f`,
  `SELECT * FROM pragma_user_version, pragma_application_id, pragma_journal_mode, pragma_page_size, pragma_page_count, pragma_freelist_count, pragma_encoding, pragma_schema_version`,
];

const ms = (label: string, value: number): Measurement => ({ label, value, unit: 'ms' });

export const benchmark: Benchmark = {
  name: 'fingerprint',
  async run({ quick, dir }: BenchOptions): Promise<Figure[]> {
    const tables = quick ? 20 : 200;
    const rounds = quick ? 3 : 40;
    const batch = quick ? 1 : 3;
    const file = join(dir, 'schema.db');
    createSchema(file, tables);
    const db = new Database(file, { readonly: true });
    try {
      const floorStatement = db.prepare(FLOOR);
      const floor = (): unknown[] => floorStatement.all();
      const repeated = (): unknown => probeDatabase(db);
      const first = (): unknown => {
        forgetSchemas();
        return probeDatabase(db);
      };
      const rawStatements = RAW_READS.map((sql) => db.prepare(sql));
      const rawReads = (): unknown[][] => rawStatements.map((s) => s.all());
      const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
      const naive = (): void => {
        for (const name of names) db.pragma(`table_info(${name})`);
      };
      const probed = probeDatabase(db);
      if (Object.keys(probed.snapshot.tables).length !== tables || floor().length !== tables * COLUMNS_PER_TABLE) throw new Error('fingerprint: the schema was not read whole');

      const vsFloor = await compare(repeated, floor, { rounds, batch });
      const firstVsFloor = await compare(first, floor, { rounds, batch });
      const firstVsRaw = await compare(first, rawReads, { rounds, batch });
      const vsNaive = await compare(repeated, naive, { rounds, batch });
      const schemaVersion = await compare(() => db.pragma('schema_version', { simple: true }), floor, { rounds, batch: quick ? 10 : 1000 });

      const sizes = `${tables} tables × ${COLUMNS_PER_TABLE} columns, 2 indexes and a foreign key each; handle open; floor prepared once`;
      const context = `context: 200 × PRAGMA table_info ${vsNaive.baseline.toFixed(2)} ms, PRAGMA schema_version ${(schemaVersion.subject * 1000).toFixed(1)} µs`;
      return [
        figure('fingerprint-vs-floor', 'fingerprint, schema probed again, vs one query', ms('probeDatabase', vsFloor.subject), ms('one query', vsFloor.baseline), { op: '<=', value: 1.2 }, `${sizes}; the schema query runs whole every time, the snapshot and hash are remembered by content; ${context}`),
        figure('fingerprint-first-vs-floor', 'fingerprint, first probe of the schema, vs one query', ms('probeDatabase', firstVsFloor.subject), ms('one query', firstVsFloor.baseline), { op: '<=', value: 1.2 }, `${sizes}; memory of schemas cleared before every call: reads, parses every CREATE statement, normalises, hashes`),
        figure('fingerprint-first-vs-raw-reads', 'fingerprint, first probe, vs the same reads as rows', ms('probeDatabase', firstVsRaw.subject), ms('raw reads', firstVsRaw.baseline), { op: '<=', value: 1.2 }, `${sizes}; floor: the schema and facts queries drawbridge needs (index lists and columns, foreign keys), rows returned, nothing normalised`),
        figure('fingerprint-vs-naive', `fingerprint, schema probed again, vs ${tables} × PRAGMA table_info`, ms('probeDatabase', vsNaive.subject), ms(`${tables} × table_info`, vsNaive.baseline), { op: '<=', value: 1 }, `${sizes}; context: the naive peer reads columns only`),
      ];
    } finally {
      db.close();
    }
  },
};
