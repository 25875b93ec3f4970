import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { json, runCli } from '../helpers/cli.js';
import { openTestDb } from '../helpers/database.js';

/**
 * What the seed scenarios share: their source folders (the tests run from
 * dist/, the migrations and rules stay in test/), and the CLI calls and
 * tracking-table reads each of them makes.
 */

/** A scenario's folder in the source tree: its migrations and rules are read from there, not from dist/. */
export function scenarioFolder(name: string): string {
  return fileURLToPath(new URL(`../../../test/scenarios/${name}`, import.meta.url));
}

export interface UpgradeJson {
  state: string;
  rule: string | null;
  bridgePoint: string | null;
  backfilled: string[];
  imported: string[];
  applied: string[];
}

export interface DetectJson {
  state: string;
  rule: { id: string } | null;
  bridgePoint: string | null;
  migrations: { name: string; presence: string }[];
}

export interface StatusJson {
  migrations: { name: string; state: string; checksum: string | null }[];
}

/** A full row of drawbridge's tracking table. */
export interface TrackingRow {
  name: string;
  checksum: string | null;
  applied_at: string;
  duration_ms: number;
  method: string;
  rule: string | null;
  source: string | null;
}

/** Run a --json command that must succeed, and parse its document. */
export function cliJson<T>(args: readonly string[]): T {
  const result = runCli([...args, '--json']);
  assert.equal(result.code, 0, `${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return json<T>(result);
}

export function upgradeJson(file: string, inputs: readonly string[]): UpgradeJson {
  return cliJson<UpgradeJson>(['upgrade', file, ...inputs, '--no-backup']);
}

export function detectJson(file: string, inputs: readonly string[]): DetectJson {
  return cliJson<DetectJson>(['detect', file, ...inputs]);
}

export function assertVerifies(file: string, inputs: readonly string[]): void {
  const result = runCli(['verify', file, ...inputs]);
  assert.equal(result.code, 0, `verify ${file}\n${result.stdout}${result.stderr}`);
}

export function trackingTable(file: string): TrackingRow[] {
  const db = openTestDb(file, { readonly: true });
  try {
    return db.prepare('SELECT name, checksum, applied_at, duration_ms, method, rule, source FROM drawbridge_migrations ORDER BY name').all() as TrackingRow[];
  } finally {
    db.close();
  }
}

export function rowCounts(file: string, tables: readonly string[]): Record<string, number> {
  const db = openTestDb(file, { readonly: true });
  try {
    return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}
