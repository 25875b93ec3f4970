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

export interface Rule {
  readonly id: string;
  readonly title: string | undefined;
  readonly match: RuleMatch;
  /** Fix-up SQL run first in the upgrade transaction. */
  readonly prepare: readonly string[];
  /** The migration the database is at once `prepare` has run (for legacy-fallback: the point the second detection must reach). */
  readonly bridgeTo: string | undefined;
  readonly then: RuleAction;
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
