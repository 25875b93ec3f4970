/**
 * The JSON Schema (draft-07, validated by ajv 8) of a bridge rules file,
 * format 1 (DESIGN.md, "Bridge rules (format 1)").
 *
 * Shapes that accept several types (user_version, prepare) are written as one
 * schema with a list of types, not as oneOf: JSON Schema applies `items` only
 * to arrays and `properties` only to objects, so the meaning is the same, and
 * a wrong value yields one clear error ("expected an integer, a mapping or a
 * list") instead of one failure per branch.
 *
 * Lists that are checks must not be empty, and `match` must hold at least one
 * check: a rule whose checks are all empty would match every database.
 *
 * Cross-field rules live here too (if/then/else), so that ajv reports them
 * with the rest: every rule except `then: refuse` needs `bridge-to` (the point
 * the database is at), and `refuse` takes no `prepare` (a refused database is
 * never written) while `newer: true` means something only with `refuse`.
 */

import { IMPORT_TOOLS, type ImportTool } from './types.js';

const NAME = { type: 'string', minLength: 1 } as const;

/** Names of tables, indexes, triggers or views: a non-empty list. */
const NAMES = { type: 'array', minItems: 1, items: NAME } as const;

/** A rule id: shown in reports and stored in the tracking table, so plain. */
export const RULE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

/** A migration name as the migration set accepts it: NNNN_description. */
export const MIGRATION_NAME_PATTERN = '^[0-9]{4}_[A-Za-z0-9][A-Za-z0-9_-]*$';

export const RULE_ACTIONS = ['bridge', 'legacy-fallback', 'refuse'] as const;

export const IMPORT_MAP_KINDS = ['by-number', 'same-name'] as const;

/** The checks `match` may hold; also the list named when it holds none. */
export const MATCH_CHECKS = ['user_version', 'tables', 'absent', 'indexes', 'triggers', 'views', 'sql'] as const;

const USER_VERSION = {
  // n | {min, max} | [a, b, c]; min and max are inclusive.
  type: ['integer', 'object', 'array'],
  additionalProperties: false,
  minProperties: 1,
  properties: { min: { type: 'integer' }, max: { type: 'integer' } },
  minItems: 1,
  items: { type: 'integer' },
} as const;

const MATCH = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    user_version: USER_VERSION,
    // table → columns that must exist; an empty list only requires the table.
    tables: { type: 'object', minProperties: 1, additionalProperties: { type: 'array', items: NAME } },
    absent: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        tables: NAMES,
        columns: { type: 'object', minProperties: 1, additionalProperties: NAMES },
        indexes: NAMES,
        triggers: NAMES,
        views: NAMES,
      },
    },
    indexes: NAMES,
    triggers: NAMES,
    views: NAMES,
    sql: { type: 'string', pattern: '\\S' },
  },
} as const;

const IMPORT = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'map'],
  properties: {
    from: { enum: IMPORT_TOOLS },
    table: NAME,
    // by-number | same-name | { id: name | [names] | null }
    map: {
      type: ['string', 'object'],
      minProperties: 1,
      additionalProperties: { type: ['string', 'array', 'null'], pattern: MIGRATION_NAME_PATTERN, minItems: 1, items: { type: 'string', pattern: MIGRATION_NAME_PATTERN } },
      if: { type: 'string' },
      then: { enum: IMPORT_MAP_KINDS },
    },
    baseline: { type: 'string', pattern: MIGRATION_NAME_PATTERN },
  },
} as const;

const RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  // A rule recognises a database by its checks, by another tool's history, or both.
  anyOf: [{ required: ['match'] }, { required: ['import'] }],
  properties: {
    id: { type: 'string', pattern: RULE_ID_PATTERN },
    title: { type: 'string' },
    match: MATCH,
    prepare: { type: ['string', 'array'], pattern: '\\S', minItems: 1, items: { type: 'string', pattern: '\\S' } },
    'bridge-to': { type: 'string', pattern: MIGRATION_NAME_PATTERN },
    import: IMPORT,
    then: { enum: RULE_ACTIONS, default: 'bridge' },
    newer: { type: 'boolean', default: false },
    notes: { type: 'string' },
  },
  if: { required: ['then'], properties: { then: { const: 'refuse' } } },
  then: { properties: { prepare: false, import: false } },
  // An imported history says where the database is; otherwise bridge-to must.
  else: { anyOf: [{ required: ['bridge-to'] }, { required: ['import'] }], properties: { newer: { const: false } } },
} as const;

export const RULES_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://drawbridge.dev/schemas/bridge-rules-1.json',
  title: 'drawbridge bridge rules, format 1',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'rules'],
  properties: {
    format: { const: 1 },
    app: { type: 'string', minLength: 1 },
    rules: { type: 'array', items: RULE },
  },
} as const;

/** A rules file as the schema admits it, before normalisation. */
export interface RawRulesFile {
  format: 1;
  app?: string;
  rules: RawRule[];
}

export type RawUserVersion = number | { min?: number; max?: number } | number[];

export interface RawImport {
  from: ImportTool;
  table?: string;
  map: (typeof IMPORT_MAP_KINDS)[number] | Record<string, string | string[] | null>;
  baseline?: string;
}

export interface RawRule {
  id: string;
  title?: string;
  import?: RawImport;
  match?: {
    user_version?: RawUserVersion;
    tables?: Record<string, string[]>;
    absent?: {
      tables?: string[];
      columns?: Record<string, string[]>;
      indexes?: string[];
      triggers?: string[];
      views?: string[];
    };
    indexes?: string[];
    triggers?: string[];
    views?: string[];
    sql?: string;
  };
  prepare?: string | string[];
  'bridge-to'?: string;
  then?: (typeof RULE_ACTIONS)[number];
  newer?: boolean;
  notes?: string;
}
