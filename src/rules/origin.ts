import { formatLocation, type RuleProblem } from './problems.js';
import type { DataPath } from './schema-errors.js';
import type { YamlSource } from './yaml-source.js';
import type { SourceLocation } from './types.js';

/**
 * Where rules data came from decides how a problem names its place. In a YAML
 * file, line:column says it, and the message only names the key. Embedded
 * data (an imported JSON object) has no lines, so its locations are
 * `embedded:0:0` and the message names the JSON path (rules[0].match.user_version).
 */

export interface Origin {
  readonly file: string;
  readonly data: unknown;
  /** Where the value at `path` (or `key` of the mapping there) is written. */
  locate(path: DataPath, key?: string): SourceLocation;
  /** The place of the value at `path` in words, for naming a second place in a message. */
  where(path: DataPath): string;
  /** A problem about the value at `path`; `subject` is the name the message is about, if it does not say it. */
  problem(path: DataPath, subject: string | undefined, message: string, key?: string): RuleProblem;
}

export function yamlOrigin(source: YamlSource): Origin {
  return {
    file: source.file,
    data: source.data,
    locate: (path, key) => source.locate(path, key),
    where: (path) => formatLocation(source.locate(path)),
    problem: (path, subject, message, key) => ({ ...source.locate(path, key), message: subject === undefined ? message : `${subject}: ${message}` }),
  };
}

/** rules[0].match["my table"]: keys that read plainly after a dot, the others quoted in brackets. */
export function jsonPath(path: DataPath): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

export function embeddedOrigin(file: string, data: unknown): Origin {
  const location: SourceLocation = { file, line: 0, column: 0 };
  return {
    file,
    data,
    locate: () => location,
    where: (path) => `${file} ${jsonPath(path)}`,
    problem: (path, _subject, message) => ({ ...location, message: `${jsonPath(path)}: ${message}` }),
  };
}
