import { readFileSync } from 'node:fs';

/**
 * drawbridge's own version, recorded in every tracking row. Read from
 * package.json (two levels up from dist/src/, one from src/ under a loader).
 */
function readVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'drawbridge' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0-unknown';
}

export const TOOL_VERSION = readVersion();
