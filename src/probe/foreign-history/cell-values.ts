import type { SourceValue } from '../types.js';

/**
 * Stored values read as what a tool meant by them. Tracking tables are
 * untrusted: every reader here is total — garbage gives null (or an empty
 * id), never an exception.
 */

/** A migration's id as text; a missing one is the empty string, which no map knows. */
export function asId(value: SourceValue): string {
  return value === null ? '' : String(value);
}

/** A checksum as text (Flyway keeps an INT, Prisma a hex string). */
export function asText(value: SourceValue): string | null {
  return value === null ? null : String(value);
}

/** Milliseconds, when the value is a non-negative number (or its text). */
export function asDuration(value: SourceValue): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
}

const TRUE_TEXT = new Set(['1', 'true', 't', 'yes']);
const FALSE_TEXT = new Set(['0', 'false', 'f', 'no']);

/**
 * A boolean column (golang-migrate's dirty, Flyway's success, knex's
 * is_locked): SQLite has no boolean type, so drivers store 1/0 and hand-made
 * rows may hold 'true'/'false'. undefined when the value is neither.
 */
export function asFlag(value: SourceValue): boolean | undefined {
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (TRUE_TEXT.has(text)) return true;
  if (FALSE_TEXT.has(text)) return false;
  return undefined;
}
