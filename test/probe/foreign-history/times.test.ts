import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toIsoTime } from '../../../src/probe/foreign-history/times.js';
import type { SourceValue } from '../../../src/probe/types.js';

const CASES: readonly (readonly [what: string, stored: SourceValue, iso: string | null])[] = [
  ["SQLite datetime('now') text is UTC", '2024-01-15 10:30:22', '2024-01-15T10:30:22.000Z'],
  ["Flyway's strftime('%f') milliseconds", '2024-01-15 10:30:22.123', '2024-01-15T10:30:22.123Z'],
  ['ISO-8601 with Z', '2024-01-15T10:30:22.5Z', '2024-01-15T10:30:22.500Z'],
  ['ISO-8601 with an offset', '2024-01-15T12:30:22+02:00', '2024-01-15T10:30:22.000Z'],
  ["Sequelize's spaced offset", '2024-01-15 10:30:22.123 +00:00', '2024-01-15T10:30:22.123Z'],
  ['a date alone is midnight UTC', '2024-01-15', '2024-01-15T00:00:00.000Z'],
  ['epoch milliseconds (knex, Prisma, drizzle)', 1705314622000, '2024-01-15T10:30:22.000Z'],
  ['epoch milliseconds as text', '1705314622000', '2024-01-15T10:30:22.000Z'],
  ['epoch seconds (unixepoch())', 1705314622, '2024-01-15T10:30:22.000Z'],
  ['a day that does not exist', '2024-02-30 00:00:00', null],
  ['words', 'yesterday', null],
  ['a small number is no time', 12, null],
  ['NULL', null, null],
  ['beyond what a Date can hold', 1e20, null],
];

for (const [what, stored, iso] of CASES) {
  test(`toIsoTime: ${what}`, () => {
    assert.equal(toIsoTime(stored), iso);
  });
}
