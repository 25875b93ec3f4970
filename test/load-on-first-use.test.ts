import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnexpectedError } from '../src/errors.js';
import { loadOnFirstUse } from '../src/load-on-first-use.js';
import * as quote from '../src/sqlite/quote.js';

test('a module loaded on first use is the same instance that import gives', () => {
  const loaded = loadOnFirstUse<typeof quote>('./sqlite/quote.js');
  assert.equal(loaded().quoteIdentifier, quote.quoteIdentifier);
  assert.equal(loaded(), loaded());
});

test('a module that cannot be loaded is an UnexpectedError naming it and the way out, raised on first use, not before', () => {
  const missing = loadOnFirstUse<object>('./no-such-module.js');
  assert.throws(missing, (error: unknown) => {
    assert.ok(error instanceof UnexpectedError);
    assert.match(error.message, /\.\/no-such-module\.js/);
    assert.match(error.message, /Node 20\.19 or later/);
    assert.match(error.message, /mark "drawbridge" as external/);
    assert.equal(error.details.module, './no-such-module.js');
    return true;
  });
});
