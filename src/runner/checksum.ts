import type * as Crypto from 'node:crypto';
import { loadOnFirstUse } from '../load-on-first-use.js';

/**
 * The checksum recorded for a migration: sha256 (hex) of its source text with
 * line endings normalised to LF and a leading UTF-8 BOM dropped, so that a
 * Windows checkout (core.autocrlf) or an editor's BOM does not count as an edit.
 */
export function normaliseSource(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * node:crypto is loaded on the first hash, not with drawbridge:
 * loading it costs 5–12 ms of a process's start (bench startup), and the
 * every-start no-op over embedded migrations with build-time checksums never
 * hashes.
 */
const crypto = loadOnFirstUse<typeof Crypto>('node:crypto');

export function checksumOf(text: string): string {
  return crypto().createHash('sha256').update(normaliseSource(text), 'utf8').digest('hex');
}
