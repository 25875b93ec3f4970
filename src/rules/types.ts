/**
 * Bridge rules (DESIGN.md, "Bridge rules (format 1)") as plain data, after
 * loading and validation. Each rule names a legacy state by checks that must
 * all hold, and says where that state is in the new sequence.
 */

/** Where something was written, for messages: file:line:column (1-based). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** n | {min, max} | [a, b, c], normalised. */
export type VersionRange =
  | { readonly kind: 'exact'; readonly value: number }
  | { readonly kind: 'range'; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: 'set'; readonly values: readonly number[] };

export interface RuleMatch {
  readonly userVersion: VersionRange | undefined;
  /** Tables that must exist, each with the columns that must exist (possibly none). Keys as written. */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  readonly indexes: readonly string[];
  readonly triggers: readonly string[];
  readonly views: readonly string[];
  readonly absent: {
    readonly tables: readonly string[];
    readonly columns: Readonly<Record<string, readonly string[]>>;
    readonly indexes: readonly string[];
    readonly triggers: readonly string[];
    readonly views: readonly string[];
  };
  /** A read-only query whose first column of the first row must be truthy. */
  readonly sql: string | undefined;
}

export type RuleAction = 'bridge' | 'legacy-fallback' | 'refuse';

/** The tools whose tracking tables a rule can import (as ForeignTool in src/probe/types.ts). */
export const IMPORT_TOOLS = ['knex', 'sequelize', 'prisma', 'drizzle', 'd1', 'dbmate', 'golang-migrate', 'flyway', 'plain'] as const;
export type ImportTool = (typeof IMPORT_TOOLS)[number];

/**
 * How another tool's migration ids become names of the new sequence:
 * by-number (the leading number of the id is the migration's number),
 * same-name (the id without its file extension is the name), or an explicit
 * table: id → one name, several names (one old migration split in two), or
 * null (an old migration with no counterpart: ignored). Several ids may map
 * to one name (squashed): it is imported once all of them are applied.
 */
export type ImportMap =
  | { readonly kind: 'by-number' }
  | { readonly kind: 'same-name' }
  | { readonly kind: 'explicit'; readonly entries: Readonly<Record<string, readonly string[] | null>> };

/** A rule's `import`: take another tool's history as this sequence's (method `imported`). */
export interface RuleImport {
  readonly from: ImportTool;
  /** The table, when not the tool's default name. */
  readonly table: string | undefined;
  readonly map: ImportMap;
  /** Migrations up to and including this one predate the tool's history: recorded as bridged. */
  readonly baseline: string | undefined;
  readonly location: SourceLocation;
  /** Where the baseline and each map entry are written, for messages about the names they give. */
  readonly baselineLocation: SourceLocation | undefined;
  readonly mapLocations: Readonly<Record<string, SourceLocation>>;
}

export interface Rule {
  readonly id: string;
  readonly title: string | undefined;
  readonly match: RuleMatch;
  /** Fix-up SQL run first in the upgrade transaction. */
  readonly prepare: readonly string[];
  /** The migration the database is at once `prepare` has run (for legacy-fallback: the point the second detection must reach). */
  readonly bridgeTo: string | undefined;
  readonly then: RuleAction;
  /** Another tool's history to import; the bridge point then comes from it (`bridgeTo`, if given, must agree). */
  readonly import: RuleImport | undefined;
  /** For `refuse`: the database was written by a newer app (exit 4 rather than 3). */
  readonly newer: boolean;
  readonly notes: string | undefined;
  /** Where the rule and its parts are written. */
  readonly location: SourceLocation;
  readonly bridgeToLocation: SourceLocation | undefined;
}

export interface RuleSet {
  /** The file or directory they came from, or "embedded". */
  readonly source: string;
  readonly app: string | undefined;
  readonly rules: readonly Rule[];
}
