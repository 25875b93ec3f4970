import type { SqliteDatabase } from '../sqlite/connection.js';
import { inGuardedTransaction } from './guarded-transaction.js';
import { assertNotNewer } from './history.js';
import { readStatus } from './read-status.js';
import type { Settings } from './settings.js';
import { updateTrackingChecksum } from './tracking-table.js';
import type { StatusReport } from './types.js';
import { withConnection } from './with-connection.js';

export interface RepairResult {
  readonly database: string;
  readonly repaired: readonly { readonly name: string; readonly from: string | null; readonly to: string | null }[];
}

export async function repair(settings: Settings, database: string | SqliteDatabase): Promise<RepairResult> {
  return withConnection(database, 'write', settings.lockTimeoutMs, async (db, file) => {
    const apply = (report: StatusReport): RepairResult['repaired'] =>
      report.migrations
        .filter((s) => s.state === 'applied' && s.recorded !== undefined && s.recorded.checksum !== s.checksum && s.checksum !== null)
        .map((s) => ({ name: s.name, from: s.recorded?.checksum ?? null, to: s.checksum }));
    const first = readStatus(settings, db, file);
    assertNotNewer(first);
    if (apply(first).length === 0 || db === undefined) return { database: file, repaired: [] };
    const repaired = await inGuardedTransaction(db, { file, lockTimeoutMs: settings.lockTimeoutMs }, () => {
      const report = readStatus(settings, db, file);
      assertNotNewer(report);
      const changes = apply(report);
      for (const change of changes) updateTrackingChecksum(db, settings.table, change.name, change.to);
      return Promise.resolve(changes);
    });
    return { database: file, repaired };
  });
}
