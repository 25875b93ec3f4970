import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nextToken, significantTokens, tokenize } from '../../src/sqlite/tokenize.js';
import { originalNextToken, originalTokenize } from './reference/original-tokenizer.js';

/**
 * The probe reads every CREATE statement through the tokenizer, which was
 * rewritten for speed. These hold the rewrite to the original, token for
 * token (kind, text, offsets, unterminated), on SQL-like text made of the
 * pieces where lexers go wrong.
 */

const PIECES = [
  ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u180e', '\u0085',
  '-', '--', '/', '/*', '*/', '*', "'", "''", '"', '""', '`', '[', ']', 'x', 'X', "x'", "X'", 'ab', 'Z', '_', '$',
  '0', '7', '0x', '0X1f', '1.5', '.', '.5', 'e', 'E+', '3e-2', '1e', '(', ')', ',', ';', '=', '<>', '||', 'é', '表', '\ud83d\ude00', '\ud800', '\udc00', '\u0000',
];

const sqlLike = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 40 }).map((parts) => parts.join(''));

test('tokenize splits any text exactly as the original tokenizer did', () => {
  fc.assert(
    fc.property(sqlLike, (sql) => {
      assert.deepEqual(tokenize(sql), originalTokenize(sql));
    }),
    { numRuns: 5000 },
  );
});

test('nextToken reads the same token as the original from any offset, including past the end', () => {
  fc.assert(
    fc.property(sqlLike, fc.nat(50), (sql, offset) => {
      assert.deepEqual(nextToken(sql, offset), originalNextToken(sql, offset));
    }),
    { numRuns: 3000 },
  );
});

test('significantTokens are the original tokens without whitespace and comments', () => {
  fc.assert(
    fc.property(sqlLike, (sql) => {
      assert.deepEqual(
        significantTokens(sql),
        originalTokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment'),
      );
    }),
    { numRuns: 3000 },
  );
});

test('a number longer than the 64 characters read at a time splits where it always did', () => {
  const long = `${'9'.repeat(70)}.5e10 0x${'f'.repeat(80)}`;
  assert.deepEqual(tokenize(long), originalTokenize(long));
});
