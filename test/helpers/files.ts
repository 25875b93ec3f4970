import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Write migration files: { '0001_a.sql': '-- migrate:up\n...' }. Returns the directory. */
export function writeMigrations(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A .sql migration file's text from its two sections. */
export function sqlMigration(up: string, down?: string): string {
  return `-- migrate:up\n${up}\n${down === undefined ? '' : `-- migrate:down\n${down}\n`}`;
}
