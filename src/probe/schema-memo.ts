import { deepFreeze } from './deep-freeze.js';
import type { RawSchema } from './types.js';

/**
 * The raw schema, remembered by the exact text SQLite reported it as.
 *
 * The probe runs its whole schema query every time (nothing here decides
 * that a schema did not change); what it remembers is the pure function from
 * those bytes to the RawSchema, and from a RawSchema to its snapshot and hash
 * (see snapshot-memo.ts). A fleet of one app's installs has a handful of
 * distinct schemas across thousands of files, and an app probing its own
 * database on every start reads the same bytes each time: parsing,
 * normalising and hashing them again was most of a probe's cost (on a
 * 200-table schema a first probe takes 12 ms, a repeated one 3 ms).
 *
 * Entries are shared between fingerprints, so they are deep-frozen. The
 * memory is bounded by the total length of the remembered texts (the RawSchema
 * an entry holds is about as large), least recently used first out.
 */

/** The JSON text of each part of the schema query, in its order. */
export type SchemaText = readonly [string, string, string, string, string];

const MAX_TEXT_CHARS = 8_000_000;
const MAX_ENTRIES = 64;

const entries = new Map<string, RawSchema>();
let textChars = 0;

function evictUntilFits(incoming: number): void {
  for (const [key] of entries) {
    if (textChars + incoming <= MAX_TEXT_CHARS && entries.size < MAX_ENTRIES) return;
    entries.delete(key);
    textChars -= key.length;
  }
}

/** The RawSchema for `texts`: remembered, or made by `build` (and remembered when it fits). */
export function memoisedRawSchema(texts: SchemaText, build: () => RawSchema): RawSchema {
  // NUL never occurs in JSON text (it is escaped), so it separates the parts unambiguously.
  const key = texts.join('\u0000');
  const known = entries.get(key);
  if (known !== undefined) {
    // Most recently used last: Map keeps insertion order.
    entries.delete(key);
    entries.set(key, known);
    return known;
  }
  const raw = deepFreeze(build());
  if (key.length <= MAX_TEXT_CHARS / 4) {
    evictUntilFits(key.length);
    entries.set(key, raw);
    textChars += key.length;
  }
  return raw;
}

/** Forget every remembered schema (benchmarks measure a cold probe with it; tests start from nothing). */
export function forgetSchemas(): void {
  entries.clear();
  textChars = 0;
}
