import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { probeDatabase, type ProbeOptions } from '../../../src/probe/fingerprint.js';
import type { Fingerprint, ForeignHistory } from '../../../src/probe/types.js';
import { execOn } from '../../helpers/database.js';
import { tempDir } from '../../helpers/temp.js';

/** Build a database file the way a tool leaves it, then probe it from disk as drawbridge does. */
export function probeWith(t: TestContext, sql: string, options: ProbeOptions = {}): Fingerprint {
  const path = join(tempDir(t), 'foreign.db');
  execOn(path, sql);
  return probeDatabase(path, options);
}

/** The one history read from `table` (its stored name). */
export function historyOf(fingerprint: Fingerprint, table: string): ForeignHistory {
  const history = fingerprint.foreignHistories.find((h) => h.table === table);
  assert.ok(history, `no history read from ${table}; read: ${fingerprint.foreignHistories.map((h) => h.table).join(', ') || 'none'}`);
  return history;
}
