import Database from 'better-sqlite3';
import { isDrawbridgeError, loadMigrations, upgrade } from '../src/index.js';
import { REFERENCE_MIGRATIONS, REFERENCE_RULES } from '../src/package-paths.js';
import { DEFAULT_TRACKING_TABLE } from '../src/runner/defaults.js';
import { countRows } from '../src/sqlite/row-counts.js';
import { loadRules } from '../src/rules/load-rules.js';
import { generateFixtures } from './generate.js';
import { latestLegacyRun } from './index.js';

/**
 * `drawbridge demo`: bridge every reference fixture the way a shipped app
 * would — the public upgrade() call, mode auto, the app's old function as the
 * legacy fallback — and report one row per fixture.
 */

export interface DemoRow {
  readonly fixture: string;
  readonly state: string;
  readonly rule: string | null;
  readonly bridgePoint: string | null;
  readonly backfilled: number;
  readonly applied: number;
  /** Rows in the app's tables before and after (the tracking table not counted). */
  readonly rowsBefore: number;
  readonly rowsAfter: number;
  /** Tables that lost rows (there must be none). */
  readonly tablesThatLostRows: readonly string[];
  readonly verdict: 'bridged' | 'current' | 'refused' | 'failed';
  readonly detail: string;
  /** Whether the verdict is the one this fixture should get (the newer database must be refused). */
  readonly expected: boolean;
}

/** Rows per app table (the tracking table is drawbridge's, not the app's). */
function rowCounts(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const counts = countRows(db);
    counts.delete(DEFAULT_TRACKING_TABLE);
    return counts;
  } finally {
    db.close();
  }
}

const total = (counts: ReadonlyMap<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

export async function runDemo(dir: string): Promise<DemoRow[]> {
  const migrations = loadMigrations(REFERENCE_MIGRATIONS);
  const rules = loadRules(REFERENCE_RULES);
  const rows: DemoRow[] = [];
  for (const fixture of generateFixtures(dir)) {
    const before = rowCounts(fixture.file);
    const shouldRefuse = fixture.name === 'variant-newer';
    try {
      const result = await upgrade(fixture.file, { migrations, rules, mode: 'auto', legacy: { run: latestLegacyRun } });
      const after = rowCounts(fixture.file);
      const lost = [...before].filter(([table, n]) => after.has(table) && (after.get(table) ?? 0) < n).map(([table]) => table);
      const verdict = result.action === 'nothing' ? 'current' : 'bridged';
      rows.push({
        fixture: fixture.name,
        state: result.state,
        rule: result.fallbackRule === null ? result.rule : `${result.fallbackRule} → ${result.rule ?? '?'}`,
        bridgePoint: result.bridgePoint,
        backfilled: result.backfilled.length,
        applied: result.applied.length,
        rowsBefore: total(before),
        rowsAfter: total(after),
        tablesThatLostRows: lost,
        verdict,
        detail: result.legacy === null ? '' : "after the app's old migrations",
        expected: !shouldRefuse && lost.length === 0,
      });
    } catch (error) {
      const refused = isDrawbridgeError(error) && [3, 4].includes(error.exitCode);
      rows.push({
        fixture: fixture.name,
        state: isDrawbridgeError(error) && typeof error.details.kind === 'string' ? error.details.kind : '',
        rule: null,
        bridgePoint: null,
        backfilled: 0,
        applied: 0,
        rowsBefore: total(before),
        rowsAfter: total(rowCounts(fixture.file)),
        tablesThatLostRows: [],
        verdict: refused ? 'refused' : 'failed',
        detail: isDrawbridgeError(error) ? `exit ${error.exitCode}` : String(error),
        expected: refused && shouldRefuse,
      });
    }
  }
  return rows;
}
