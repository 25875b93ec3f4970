/**
 * Quote an SQL identifier read from a database or a config. Names from a
 * customer's database are untrusted input: never splice them in unquoted.
 * Doubling embedded quotes is SQLite's own rule for "delimited identifiers".
 */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) {
    throw new TypeError(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}
