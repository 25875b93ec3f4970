/**
 * The JSON Schema (draft-07) of the report document (types.ts). Tools that
 * read `drawbridge report --format json` can rely on it; the tests validate
 * every generated report against it, so it cannot drift from the code.
 */

const string = { type: 'string' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const integer = { type: 'integer', minimum: 0 } as const;
const boolean = { type: 'boolean' } as const;
const strings = { type: 'array', items: string } as const;

function object(properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties)): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, required, properties };
}

const evidence = object({ check: string, expected: {}, found: {}, ok: boolean });

const changes = { type: 'object', required: ['added', 'removed', 'changed'], properties: { added: { type: 'array' }, removed: { type: 'array' }, changed: { type: 'array' } } } as const;
const diff = { type: 'object', required: ['identical', 'tables', 'indexes', 'triggers', 'views'], properties: { identical: boolean, tables: changes, indexes: changes, triggers: changes, views: changes } } as const;

const flag = object({ kind: { enum: ['drop', 'rebuild', 'data', 'code'] }, detail: string, rows: { type: ['integer', 'null'], minimum: 0 } });

const step = object({ name: string, sql: nullableString, flags: { type: 'array', items: flag } });

export const REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://drawbridge.invalid/report.schema.json',
  title: 'drawbridge dry-run report',
  ...object({
    format: { const: 'drawbridge-report' },
    version: { const: 1 },
    generatedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
    toolVersion: string,
    file: object({
      path: string,
      sizeBytes: integer,
      pageSize: integer,
      pageCount: integer,
      freelistCount: integer,
      journalMode: string,
      encoding: string,
      userVersion: { type: 'integer' },
      applicationId: { type: 'integer' },
      lastWrittenBySqlite: string,
      wal: object({ present: boolean, sizeBytes: integer }),
      shm: object({ present: boolean }),
      journal: object({ present: boolean }),
      readFromCopy: boolean,
    }),
    tables: { type: 'array', items: object({ name: string, rows: integer, columns: integer }) },
    detection: object({
      state: { enum: ['fresh', 'tracked', 'newer', 'legacy', 'ambiguous', 'unknown'] },
      rule: { oneOf: [{ type: 'null' }, object({ id: string, title: nullableString, notes: nullableString, then: { enum: ['bridge', 'legacy-fallback', 'refuse'] }, location: string })] },
      bridgePoint: nullableString,
      derived: { oneOf: [{ type: 'null' }, object({ name: nullableString, userAdditions: strings })] },
      evidence: { type: 'array', items: evidence },
      candidates: { type: 'array', items: object({ source: { enum: ['rule', 'derived'] }, id: string, bridgePoint: nullableString }) },
      nearest: object({
        rules: { type: 'array', items: object({ id: string, failed: { type: 'array', items: evidence } }) },
        versions: { type: 'array', items: object({ name: nullableString, differences: integer, lines: strings, diff }) },
      }),
      tracking: { oneOf: [{ type: 'null' }, object({ applied: integer, pending: integer, unknown: strings, newerButCompatible: boolean, compatibilityFloor: nullableString })] },
      foreignHistories: { type: 'array', items: object({ tool: string, table: string, rows: integer, imported: boolean, problems: strings }) },
    }),
    timeline: {
      type: 'array',
      items: object({
        migration: string,
        rules: strings,
        status: { enum: ['applied', 'backfill', 'pending', 'beyond-target', 'absent'] },
        presence: { enum: ['present', 'absent', 'partial', 'data-only'] },
        here: boolean,
      }),
    },
    plan: object({
      mode: { enum: ['bridge', 'auto', 'legacy'] },
      action: { enum: ['nothing', 'run-pending', 'bridge', 'legacy-then-bridge', 'legacy-only', 'refuse'] },
      refusal: { oneOf: [{ type: 'null' }, object({ kind: string, message: string })] },
      prepare: { oneOf: [{ type: 'null' }, step] },
      backfill: strings,
      imported: { type: 'array', items: object({ name: string, tool: string, table: string, ids: strings }) },
      pending: { type: 'array', items: step },
      target: nullableString,
      estimate: object({ rowsTouched: integer, seconds: { type: 'number', minimum: 0 }, basis: string }),
      command: string,
    }),
    health: object({
      check: { enum: ['quick_check', 'integrity_check'] },
      ok: boolean,
      problems: strings,
      foreignKeyViolations: object({
        count: integer,
        sample: { type: 'array', items: object({ table: string, rowid: { type: ['integer', 'null'] }, parent: string, values: { type: 'array' } }) },
      }),
      drift: { oneOf: [{ type: 'null' }, object({ against: nullableString, identical: boolean, lines: strings })] },
    }),
  }),
} as const;
