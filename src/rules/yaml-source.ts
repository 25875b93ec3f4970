import type * as YamlModule from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { loadOnFirstUse } from '../load-on-first-use.js';
import type { RuleProblem } from './problems.js';
import type { DataPath } from './schema-errors.js';
import type { SourceLocation } from './types.js';

/**
 * One YAML rules file: its data, plus a way back from a path in that data to
 * where it is written. The document keeps every node's source range, and a
 * LineCounter turns a range's offset into line:column, so schema errors found
 * on plain data can still point into the file.
 */

export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /**
   * Where the value at `path` is written, or with `key` where that key of the
   * mapping at `path` is written. A path the document does not hold (behind an
   * alias, or a key that YAML typed as a number) falls back to the nearest
   * enclosing node that it does hold.
   */
  locate(path: DataPath, key?: string): SourceLocation;
}

/**
 * yaml is loaded when the first rules file is parsed, not with this module:
 * the CLI loads every command's code, most commands never read rules, and
 * yaml adds ~30 ms to a process's start. (Synchronously, because rules load
 * synchronously.)
 */
const yaml = loadOnFirstUse<typeof YamlModule>('yaml');

export type ParsedYaml = { readonly ok: true; readonly source: YamlSource } | { readonly ok: false; readonly problems: readonly RuleProblem[] };

function rangeStart(node: unknown): number | undefined {
  return yaml().isNode(node) ? node.range?.[0] : undefined;
}

function keyStart(node: unknown, key: string): number | undefined {
  const { isMap, isScalar } = yaml();
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === key);
  return rangeStart(pair?.key);
}

function locator(file: string, doc: Document, lines: LineCounter): YamlSource['locate'] {
  const at = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  return (path, key) => {
    const exact = doc.getIn(path, true);
    const offset = key === undefined ? rangeStart(exact) : (keyStart(exact, key) ?? rangeStart(exact));
    if (offset !== undefined) return at(offset);
    for (let length = path.length - 1; length >= 0; length -= 1) {
      const start = rangeStart(doc.getIn(path.slice(0, length), true));
      if (start !== undefined) return at(start);
    }
    return { file, line: 1, column: 1 };
  };
}

export function parseYamlRules(file: string, text: string): ParsedYaml {
  const { LineCounter: Counter, parseDocument } = yaml();
  const lines = new Counter();
  // prettyErrors off: the message stays one line; the position comes from the LineCounter.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problemAtOffset = (offset: number, message: string): RuleProblem => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, message };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => problemAtOffset(error.pos[0], `YAML syntax: ${error.message.replace(/\s+/g, ' ').trim()}`)),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // e.g. more aliases than the parser allows (a "billion laughs" file).
    return { ok: false, problems: [problemAtOffset(0, `YAML: ${error instanceof Error ? error.message : String(error)}`)] };
  }
  return { ok: true, source: { file, data, locate: locator(file, doc, lines) } };
}
