import type { SourceValue } from '../types.js';

/**
 * When a tool recorded a migration, normalised to ISO-8601 UTC. Tools store
 * time as text or as numbers:
 * - SQLite's datetime('now') / CURRENT_TIMESTAMP: "2024-01-15 10:30:22", UTC
 *   (d1, plain runners), with milliseconds in Flyway's strftime('%f');
 * - ISO-8601 with a zone (drizzle's applied_at) and Sequelize's
 *   "2024-01-15 10:30:22.123 +00:00";
 * - epoch milliseconds: knex binds a Date as its valueOf(), Prisma's quaint
 *   writes DateTime as timestamp_millis(), drizzle's created_at is folderMillis.
 * Anything else is null. Date.parse is not used: it reads zone-less text as
 * local time and accepts implementation-specific formats.
 */

/** Numbers from 1e11 up are milliseconds (1e11 ms is 1973); from 1e8 to 1e11, seconds (1973 to 5138). */
const MIN_EPOCH_MS = 1e11;
const MIN_EPOCH_SECONDS = 1e8;
/** The range a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function fromEpoch(number: number): number | null {
  if (!Number.isFinite(number) || number < MIN_EPOCH_SECONDS) return null;
  const ms = number >= MIN_EPOCH_MS ? number : number * 1000;
  return ms <= MAX_DATE_MS ? Math.trunc(ms) : null;
}

/** "+05:30", "-0800", "+02" → minutes east of UTC. */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

function fromDateTimeText(text: string): number | null {
  const match = DATE_TIME.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const parts = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  const date = new Date(0);
  date.setUTCFullYear(parts[0], parts[1], parts[2]);
  date.setUTCHours(parts[3], parts[4], parts[5], Number(fraction.slice(0, 3).padEnd(3, '0')));
  // Date rolls "2024-02-30" over into March: a value that does not round-trip is not a date.
  const exact = date.getUTCFullYear() === parts[0] && date.getUTCMonth() === parts[1] && date.getUTCDate() === parts[2] && date.getUTCHours() === parts[3] && date.getUTCMinutes() === parts[4] && date.getUTCSeconds() === parts[5];
  return exact ? date.getTime() - offsetMinutes(zone) * 60_000 : null;
}

/** Milliseconds since the epoch, or null when the value is not a time this module understands. */
export function toEpochMs(value: SourceValue): number | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  const ms = fromDateTimeText(text);
  return ms !== null && Math.abs(ms) <= MAX_DATE_MS ? ms : null;
}

/** "2024-01-15T10:30:22.000Z", or null when unparseable. */
export function toIsoTime(value: SourceValue): string | null {
  const ms = toEpochMs(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** finished − started in milliseconds, when both parse and finished is not earlier. */
export function durationBetween(started: SourceValue, finished: SourceValue): number | null {
  const start = toEpochMs(started);
  const end = toEpochMs(finished);
  return start === null || end === null || end < start ? null : end - start;
}
