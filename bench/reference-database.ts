/**
 * A big database of the reference app, for the benchmarks that read or copy
 * gigabytes (backup, report): the legacy fixture of release 0.6 (the state
 * support sees most: legacy, bridged by a rule, a rebuild pending), grown to
 * `megabytes` with ~1 KB rows — 80% terminal output (session_outputs, which
 * has no index, so counting it reads the whole table), 20% conversation
 * messages (indexed by session). Both reference sessions(id) by foreign key,
 * so foreign_key_check has real work.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { generateFixture } from '../legacy-fixtures/generate.js';

export interface BigDatabase {
  readonly file: string;
  readonly bytes: number;
  /** What it holds, for a figure's notes. */
  readonly description: string;
}

/** Rows of ~1 KB: 880 hex characters of payload plus the row's other columns. */
const ROWS_PER_MB = 1000;

export function bigReferenceDatabase(dir: string, megabytes: number): BigDatabase {
  const { file } = generateFixture('release-r06', dir);
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    db.exec('CREATE TEMP TABLE session_ids AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM sessions');
    const sessions = (db.prepare('SELECT count(*) AS n FROM temp.session_ids').get() as { n: number }).n;
    const rows = megabytes * ROWS_PER_MB;
    const grow = (table: string, columns: string, values: string, count: number): void => {
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO ${table} (${columns}) SELECT (SELECT id FROM temp.session_ids WHERE k = i % ?), ${values} FROM n`,
      ).run(count, sessions);
    };
    db.transaction(() => {
      grow('session_outputs', 'session_id, type, data, timestamp', "'stdout', hex(randomblob(440)), datetime(1700000000 + i, 'unixepoch')", Math.round(rows * 0.8));
      grow(
        'conversation_messages',
        'session_id, message_type, content, timestamp',
        "CASE i % 2 WHEN 0 THEN 'user' ELSE 'assistant' END, hex(randomblob(440)), datetime(1700000000 + i, 'unixepoch')",
        Math.round(rows * 0.2),
      );
    })();
  } finally {
    db.close();
  }
  const bytes = statSync(file).size;
  return { file, bytes, description: `the reference app at release 0.6 grown to ${(bytes / 1e6).toFixed(0)} MB (~1 KB rows, rollback journal)` };
}
