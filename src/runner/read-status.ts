import type { SqliteDatabase } from '../sqlite/connection.js';
import { assertChecksumsMatch, assertInOrder, assertNotNewer, describeHistory } from './history.js';
import type { Settings } from './settings.js';
import { readTrackingRows, trackingTableExists } from './tracking-table.js';
import type { MigrationSet, StatusReport } from './types.js';

/** The database's history against the app's sequence: applied, pending, unknown, changed. Never writes. */
export function readStatus(settings: Settings, db: SqliteDatabase | undefined, file: string): StatusReport {
  const tracked = db !== undefined && trackingTableExists(db, settings.table);
  const rows = db === undefined ? [] : readTrackingRows(db, settings.table);
  return describeHistory(file, settings.table, tracked, settings.set, rows);
}

export function assertUsable(report: StatusReport, set: MigrationSet): void {
  assertNotNewer(report);
  assertChecksumsMatch(report, set);
  assertInOrder(report);
}
