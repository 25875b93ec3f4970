import { createHash } from 'node:crypto';

/**
 * The checksum recorded for a migration: sha256 (hex) of its source text with
 * line endings normalised to LF and a leading UTF-8 BOM dropped, so that a
 * Windows checkout (core.autocrlf) or an editor's BOM does not count as an edit.
 */
export function normaliseSource(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function checksumOf(text: string): string {
  return createHash('sha256').update(normaliseSource(text), 'utf8').digest('hex');
}
