import type AjvExports from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadOnFirstUse } from '../load-on-first-use.js';
import { MATCH_CHECKS, MIGRATION_NAME_PATTERN, RULE_ACTIONS, RULES_SCHEMA, type RawRulesFile } from './schema.js';

/**
 * Validate rules data against the schema and turn ajv's errors into findings
 * a person can act on: where in the data (a path of keys and list indexes,
 * which the YAML loader maps to line:column) and what is wrong in words
 * ("expected an integer, a mapping or a list; found the string "five"",
 * "unknown key "x" (expected one of: ...)"). Nothing here knows about files.
 */

export type DataPath = readonly (string | number)[];

export interface SchemaFinding {
  /** The value the finding is about; for a missing or unknown key, the mapping that should (not) hold it. */
  readonly path: DataPath;
  /** For an unknown key: the key, so that a location can point at it rather than at its mapping. */
  readonly unknownKey: string | undefined;
  /** The name the message is about ("user_version", "prepare[1]"), or undefined when the message names it. */
  readonly subject: string | undefined;
  readonly message: string;
}

export type SchemaResult = { readonly ok: true; readonly value: RawRulesFile } | { readonly ok: false; readonly findings: readonly SchemaFinding[] };

// Compiled once, on first use: compiling costs more than validating.
let compiled: ValidateFunction<RawRulesFile> | undefined;

/**
 * ajv is loaded on first validation, not with this module: the CLI loads
 * every command's code, most commands never read rules, and ajv adds ~35 ms
 * to a process's start. (Synchronously, because rules load synchronously.)
 */
const ajv = loadOnFirstUse<typeof AjvExports>('ajv');

function validator(): ValidateFunction<RawRulesFile> {
  // verbose: errors carry the offending value and the schema around it (allowed keys, the `then` in force).
  compiled ??= new (ajv().default)({ allErrors: true, verbose: true, allowUnionTypes: true }).compile<RawRulesFile>(RULES_SCHEMA);
  return compiled;
}

export function validateRulesData(data: unknown): SchemaResult {
  const validate = validator();
  if (validate(data)) return { ok: true, value: data };
  const findings = (validate.errors ?? []).flatMap((error) => {
    const finding = describe(error, data);
    return finding === undefined ? [] : [finding];
  });
  return { ok: false, findings };
}

/** "/rules/0/bridge-to" → ['rules', 0, 'bridge-to'], with indexes as numbers only where the data is a list. */
export function pathOf(instancePath: string, data: unknown): DataPath {
  if (instancePath === '') return [];
  const path: (string | number)[] = [];
  let value = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value)) {
      const index = Number(key);
      path.push(index);
      value = value[index] as unknown;
    } else {
      path.push(key);
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

/** The name a message is about: the last key, with the list indexes after it ("prepare[1]"). */
export function subjectOf(path: DataPath): string {
  let indexes = '';
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const segment = path[i];
    if (typeof segment === 'string') return `${segment}${indexes}`;
    indexes = `[${String(segment)}]${indexes}`;
  }
  return indexes === '' ? '(top level)' : indexes;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'nothing',
};

function either(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}

/** The value as a person would call it: the string "five", the number 5.5, a list, nothing. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

function allowedKeys(error: ErrorObject): string[] {
  const properties: unknown = error.parentSchema?.['properties'];
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** The `then` of the rule holding `path` (the schema's default when it has none), for messages. */
function actionOf(data: unknown, rulePath: DataPath): string {
  let value = data;
  for (const segment of rulePath) {
    value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  const action = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['then'] : undefined;
  return typeof action === 'string' ? action : 'bridge';
}

function describe(error: ErrorObject, data: unknown): SchemaFinding | undefined {
  const path = pathOf(error.instancePath, data);
  const params: Record<string, unknown> = error.params;
  const found = describeValue(error.data);
  const about = (message: string): SchemaFinding => ({ path, unknownKey: undefined, subject: subjectOf(path), message });
  const whole = (message: string): SchemaFinding => ({ path, unknownKey: undefined, subject: undefined, message });
  const schemaPath = error.schemaPath;

  switch (error.keyword) {
    case 'if':
      // "must match the then/else schema": the errors inside that branch say what is wrong.
      return undefined;
    case 'type': {
      if (path.length === 0) {
        return whole(`rules must be a mapping with "format: 1" and a "rules:" list; found ${found}`);
      }
      const expected = String(params['type']).split(',').map((type) => TYPE_NAMES[type] ?? type);
      return about(`expected ${either(expected)}; found ${found}`);
    }
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const keys = allowedKeys(error);
      return { path, unknownKey: key, subject: undefined, message: `unknown key ${JSON.stringify(key)} (expected one of: ${keys.join(', ')})` };
    }
    case 'required': {
      // A branch of an anyOf: the anyOf error itself says what is missing.
      if (schemaPath.includes('/anyOf/')) return undefined;
      const key = String(params['missingProperty']);
      if (key === 'bridge-to') {
        const action = actionOf(data, path);
        const who = (RULE_ACTIONS as readonly string[]).includes(action) ? `then: ${action}` : 'every rule but then: refuse';
        return whole(`missing "bridge-to": ${who} needs the migration the database is at once "prepare" has run`);
      }
      return whole(`missing required key ${JSON.stringify(key)}`);
    }
    case 'anyOf':
      if (schemaPath.endsWith('/else/anyOf')) {
        const action = actionOf(data, path);
        const who = (RULE_ACTIONS as readonly string[]).includes(action) ? `then: ${action}` : 'every rule but then: refuse';
        const or = action === 'bridge' ? ' (or an "import" whose history says where it is)' : '';
        return whole(`missing "bridge-to": ${who} needs the migration the database is at once "prepare" has run${or}`);
      }
      return whole('missing "match" (or "import"): a rule recognises a database by its checks, by another tool\'s imported history, or both');
    case 'const':
      if (schemaPath.endsWith('/newer/const')) {
        return about(`true only applies to then: refuse (this rule has then: ${actionOf(data, path.slice(0, -1))})`);
      }
      return about(`must be ${JSON.stringify(params['allowedValue'])}; found ${found}`);
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'].map(String) : [];
      return about(`expected one of: ${allowed.join(', ')}; found ${found}`);
    }
    case 'pattern':
      if (schemaPath.endsWith('/id/pattern')) {
        return about(`${JSON.stringify(error.data)} is not a valid rule id (letters, digits, ".", "_" and "-", starting with a letter or digit)`);
      }
      if (schemaPath.endsWith('/bridge-to/pattern') || params['pattern'] === MIGRATION_NAME_PATTERN) {
        return about(`${JSON.stringify(error.data)} is not a migration name (NNNN_description, e.g. 0005_ui_persistence)`);
      }
      if (params['pattern'] === '\\S') return about('must not be blank');
      return about(`${found} must match ${String(params['pattern'])}`);
    case 'minProperties':
      if (schemaPath.endsWith('/match/minProperties')) {
        return about(`needs at least one check (${MATCH_CHECKS.join(', ')})`);
      }
      if (schemaPath.endsWith('/user_version/minProperties')) return about('give min, max or both');
      return about('must not be empty');
    case 'minItems':
    case 'minLength':
      return about('must not be empty');
    case 'false schema':
      if (path[path.length - 1] === 'prepare') {
        return about('not allowed with then: refuse (a refused database is never written)');
      }
      if (path[path.length - 1] === 'import') {
        return about('not allowed with then: refuse (a refused database imports nothing)');
      }
      return about('not allowed here');
    default:
      return about(error.message ?? `fails the ${error.keyword} check`);
  }
}
