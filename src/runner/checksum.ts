import { createRequire } from 'node:module';
import type * as Crypto from 'node:crypto';

/**
 * The checksum recorded for a migration: sha256 (hex) of its source text with
 * line endings normalised to LF and a leading UTF-8 BOM dropped, so that a
 * Windows checkout (core.autocrlf) or an editor's BOM does not count as an edit.
 */
export function normaliseSource(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * node:crypto is required on the first hash, not imported with drawbridge:
 * loading it costs 5–12 ms of a process's start (bench startup), and the
 * every-start no-op over embedded migrations with build-time checksums never
 * hashes.
 */
const requireLazily = createRequire(import.meta.url);
let crypto: typeof Crypto | undefined;

export function checksumOf(text: string): string {
  crypto ??= requireLazily('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(normaliseSource(text), 'utf8').digest('hex');
}
