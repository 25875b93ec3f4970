import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildRules } from './build-rules.js';
import { appName, duplicateIds } from './across-files.js';
import { embeddedOrigin, yamlOrigin, type Origin } from './origin.js';
import { invalidRules, type RuleProblem } from './problems.js';
import { validateRulesData } from './schema-errors.js';
import { parseYamlRules } from './yaml-source.js';
import type { Rule, RuleSet } from './types.js';

/**
 * Bridge rules from disk (one YAML file, or a directory of them read in name
 * order) or embedded in an app (an imported JSON object, for bundles that
 * have no rules folder). Every file is read, parsed, validated and checked
 * before anything is reported, so one InvalidRulesError lists every problem
 * in every file, each at its file:line:column.
 */

const WAY_OUT = 'Fix the rules listed; `drawbridge rules check` lints them against the migrations.';
const YAML_FILE = /\.ya?ml$/i;

interface Loaded {
  readonly rules: readonly Rule[];
  readonly problems: readonly RuleProblem[];
}

/** Schema, then the per-file checks; Rule objects only from a file the schema accepts. */
function loadOne(origin: Origin): Loaded {
  const checked = validateRulesData(origin.data);
  if (!checked.ok) {
    return { rules: [], problems: checked.findings.map((f) => origin.problem(f.path, f.subject, f.message, f.unknownKey)) };
  }
  return buildRules(checked.value, origin);
}

/** Validate and build every origin, then the checks across them; throw once if anything is wrong. */
function fromOrigins(source: string, files: readonly string[], origins: readonly Origin[], earlier: readonly RuleProblem[]): RuleSet {
  const problems: RuleProblem[] = [...earlier];
  const rules: Rule[] = [];
  for (const origin of origins) {
    const loaded = loadOne(origin);
    rules.push(...loaded.rules);
    problems.push(...loaded.problems);
  }
  const { app, problems: appProblems } = appName(origins);
  problems.push(...duplicateIds(origins), ...appProblems);
  if (problems.length > 0) throw invalidRules(sortByPlace(problems, files), WAY_OUT);
  return Object.freeze({ source, app, rules: Object.freeze(rules) });
}

/** Files in the order they were read; within a file, top to bottom. The sort is stable, so embedded problems keep their order. */
function sortByPlace(problems: readonly RuleProblem[], files: readonly string[]): RuleProblem[] {
  const order = (file: string): number => files.indexOf(file);
  return [...problems].sort((a, b) => order(a.file) - order(b.file) || a.line - b.line || a.column - b.column);
}

/** The YAML files `path` names: itself, or a directory's .yaml/.yml files in name order. */
function rulesFiles(path: string): { files: string[]; problem: RuleProblem | undefined } {
  const nowhere = { file: path, line: 0, column: 0 };
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return { files: [], problem: { ...nowhere, message: 'no such file or directory; pass --rules <dir|file> naming the bridge rules' } };
  }
  if (!isDirectory) return { files: [path], problem: undefined };
  const files = readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isFile() && YAML_FILE.test(entry.name))
    .map((entry) => entry.name)
    // Code-unit order, not locale order: the same on every machine.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(path, name));
  return { files, problem: files.length === 0 ? { ...nowhere, message: 'no .yaml or .yml rules files in this directory' } : undefined };
}

export function loadRules(path: string): RuleSet {
  const { files, problem } = rulesFiles(path);
  if (problem !== undefined) throw invalidRules([problem], WAY_OUT);
  const origins: Origin[] = [];
  const problems: RuleProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file, line: 0, column: 0, message: `cannot be read (${error instanceof Error ? error.message : String(error)})` });
      continue;
    }
    const parsed = parseYamlRules(file, text);
    if (parsed.ok) origins.push(yamlOrigin(parsed.source));
    else problems.push(...parsed.problems);
  }
  return fromOrigins(path, files, origins, problems);
}

/** Rules embedded in the app (e.g. an imported JSON file); problems name JSON paths, as there are no lines. */
export function defineRules(data: unknown, source = 'embedded'): RuleSet {
  return fromOrigins(source, [source], [embeddedOrigin(source, data)], []);
}
