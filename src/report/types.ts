import type { CheckEvidence } from '../bridge/evaluate-rule.js';
import type { Presence } from '../bridge/migration-presence.js';
import type { SchemaDiff } from '../probe/diff.js';

/**
 * The dry-run report: one stable JSON document (its JSON Schema is
 * report-schema.ts; tests validate every report against it). The text,
 * Markdown and HTML renderings are made from this document alone.
 */

export interface ReportFile {
  readonly path: string;
  readonly sizeBytes: number;
  readonly pageSize: number;
  readonly pageCount: number;
  readonly freelistCount: number;
  readonly journalMode: string;
  readonly encoding: string;
  readonly userVersion: number;
  readonly applicationId: number;
  /** The SQLite library version that last wrote the file (database header bytes 96–99), e.g. "3.45.1". */
  readonly lastWrittenBySqlite: string;
  readonly wal: { readonly present: boolean; readonly sizeBytes: number };
  readonly shm: { readonly present: boolean };
  readonly journal: { readonly present: boolean };
  /** The report read a private copy (WAL databases, hot journals) so the original stays untouched. */
  readonly readFromCopy: boolean;
}

export interface ReportTable {
  readonly name: string;
  readonly rows: number;
  readonly columns: number;
}

export interface ReportNearVersion {
  readonly name: string | null;
  readonly differences: number;
  /** formatDiff lines, from the version to the database. */
  readonly lines: readonly string[];
  readonly diff: SchemaDiff;
}

export interface ReportDetection {
  readonly state: string;
  readonly rule: { readonly id: string; readonly title: string | null; readonly notes: string | null; readonly then: string; readonly location: string } | null;
  readonly bridgePoint: string | null;
  readonly derived: { readonly name: string | null; readonly userAdditions: readonly string[] } | null;
  readonly evidence: readonly CheckEvidence[];
  readonly candidates: readonly { readonly source: string; readonly id: string; readonly bridgePoint: string | null }[];
  readonly nearest: {
    readonly rules: readonly { readonly id: string; readonly failed: readonly CheckEvidence[] }[];
    readonly versions: readonly ReportNearVersion[];
  };
  readonly tracking: { readonly applied: number; readonly pending: number; readonly unknown: readonly string[]; readonly newerButCompatible: boolean; readonly compatibilityFloor: string | null } | null;
  /** Other migration tools' tracking tables found, and what each left unfinished. */
  readonly foreignHistories: readonly ReportForeignHistory[];
}

export interface ReportForeignHistory {
  readonly tool: string;
  readonly table: string;
  readonly rows: number;
  /** The claiming rule imports it. */
  readonly imported: boolean;
  /** Why it cannot be taken as it stands (dirty, failed, unmapped rows, gaps); empty when it can. */
  readonly problems: readonly string[];
}

export type StepFlagKind = 'drop' | 'rebuild' | 'data' | 'code';

export interface StepFlag {
  readonly kind: StepFlagKind;
  /** What the statement does, e.g. "rebuilds sessions", "drops table x", "updates projects". */
  readonly detail: string;
  /** Rows it touches, from the row counts (null when it cannot be told). */
  readonly rows: number | null;
}

export interface ReportStep {
  readonly name: string;
  /** The SQL that would run (the up section), or null for code migrations. */
  readonly sql: string | null;
  readonly flags: readonly StepFlag[];
}

export interface ReportPlan {
  readonly mode: string;
  readonly action: string;
  readonly refusal: { readonly kind: string; readonly message: string } | null;
  readonly prepare: ReportStep | null;
  readonly backfill: readonly string[];
  /** Those of `backfill` taken from another tool's history (method imported), with the rows they come from. */
  readonly imported: readonly { readonly name: string; readonly tool: string; readonly table: string; readonly ids: readonly string[] }[];
  readonly pending: readonly ReportStep[];
  readonly target: string | null;
  /** Rows the destructive and data steps touch, and a rough time at a nominal copy rate. */
  readonly estimate: { readonly rowsTouched: number; readonly seconds: number; readonly basis: string };
  /** The exact command that would perform the upgrade. */
  readonly command: string;
}

export interface ReportHealth {
  readonly check: 'quick_check' | 'integrity_check';
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly foreignKeyViolations: { readonly count: number; readonly sample: readonly { readonly table: string; readonly rowid: number | null; readonly parent: string; readonly values: readonly unknown[] }[] };
  /** For tracked databases: drift from what the applied migrations produce. */
  readonly drift: { readonly against: string | null; readonly identical: boolean; readonly lines: readonly string[] } | null;
}

export type TimelineStatus = 'applied' | 'backfill' | 'pending' | 'beyond-target' | 'absent';

export interface TimelineEntry {
  readonly migration: string;
  /** Rule ids whose bridge point this is: the legacy releases that join the sequence here. */
  readonly rules: readonly string[];
  readonly status: TimelineStatus;
  readonly presence: Presence;
  /** This database joins the sequence here. */
  readonly here: boolean;
}

export interface Report {
  readonly format: 'drawbridge-report';
  readonly version: 1;
  readonly generatedAt: string;
  readonly toolVersion: string;
  readonly file: ReportFile;
  readonly tables: readonly ReportTable[];
  readonly detection: ReportDetection;
  readonly timeline: readonly TimelineEntry[];
  readonly plan: ReportPlan;
  readonly health: ReportHealth;
}
