import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { diffSnapshots } from '../probe/diff.js';
import { snapshotDatabase } from '../probe/fingerprint.js';
import { formatDiff } from '../probe/format-diff.js';
import { closestNames } from '../rules/check-targets.js';
import { findOverlaps } from '../rules/overlap.js';
import { formatLocation } from '../rules/problems.js';
import type { Rule, RuleSet } from '../rules/types.js';
import { runStatements } from '../runner/run-statements.js';
import type { LegacyFunction } from '../runner/upgrade-transaction.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { openDatabase } from '../sqlite/open.js';
import { splitStatements } from '../sqlite/split-statements.js';
import { userAdditionsOnly } from './derived-match.js';
import { detectOn, type DetectionContext } from './detect.js';
import { evaluateRule } from './evaluate-rule.js';

/**
 * `rules check`: prove a rule set against its sequence and against legacy
 * databases. Static: ids unique (the loader), bridge points exist, no two
 * rules can match the same database, and each rule without a fix-up holds on
 * the sequence's schema at its bridge point. On each database given: at most
 * one thing claims it, and for the rule that does, its fix-up (on a copy)
 * leaves exactly the sequence's schema at its bridge point — or, for a
 * legacy-fallback rule, the app's old migrations bring it there.
 */

export interface RuleProblemReport {
  readonly rule: string | null;
  /** file:line:column of the rule, or the database the problem showed on. */
  readonly where: string;
  readonly message: string;
}

export interface RulesCheckReport {
  readonly ok: boolean;
  readonly problems: readonly RuleProblemReport[];
  /** For each rule, the databases it was proven on. */
  readonly proven: Readonly<Record<string, readonly string[]>>;
  /** Databases no rule and no version claims (fine: rules are for states that need them). */
  readonly unclaimed: readonly string[];
  readonly notes: readonly string[];
}

const where = (rule: Rule): string => formatLocation(rule.location);

function staticProblems(rules: RuleSet, context: DetectionContext): RuleProblemReport[] {
  const problems: RuleProblemReport[] = [];
  const names = context.set.migrations.map((m) => m.name);
  for (const rule of rules.rules) {
    if (rule.bridgeTo !== undefined && !names.includes(rule.bridgeTo)) {
      const near = closestNames(rule.bridgeTo, names);
      problems.push({ rule: rule.id, where: formatLocation(rule.bridgeToLocation ?? rule.location), message: `bridge-to ${rule.bridgeTo} is not a migration of the sequence${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}` });
    }
  }
  for (const { a, b } of findOverlaps(rules)) {
    problems.push({ rule: a.id, where: where(a), message: `rules ${a.id} and ${b.id} (${where(b)}) can match the same database: give one an absent: or user_version check the other contradicts` });
  }
  for (const rule of rules.rules) {
    if (rule.then !== 'bridge' || rule.prepare.length > 0 || rule.bridgeTo === undefined) continue;
    const derived = context.derived.find((d) => d.name === rule.bridgeTo);
    if (derived === undefined) continue;
    // user_version and sql speak of a legacy install, not of a schema: only the schema checks must hold here.
    const schemaOnly: Rule = { ...rule, match: { ...rule.match, userVersion: undefined, sql: undefined } };
    const failed = evaluateRule(schemaOnly, { snapshot: derived.snapshot, userVersion: 0 }, () => true).evidence.filter((e) => !e.ok);
    if (failed.length > 0) {
      problems.push({ rule: rule.id, where: where(rule), message: `its checks do not hold on the sequence's schema at ${rule.bridgeTo}: ${failed.map((f) => `${f.check} (found ${JSON.stringify(f.found)})`).join('; ')}` });
    }
  }
  return problems;
}

/** Work on a private copy: proving a rule must never touch the database it is proven on. */
async function withCopy<T>(file: string, fn: (db: SqliteDatabase) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-rules-'));
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    for (const suffix of ['-wal', '-journal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
    const db = openDatabase(copy, { readonly: false, create: false, lockTimeoutMs: 1000 });
    try {
      return await fn(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function proveOn(file: string, context: DetectionContext, legacy: LegacyFunction | undefined, report: { problems: RuleProblemReport[]; proven: Map<string, string[]>; unclaimed: string[]; notes: string[] }): Promise<void> {
  await withCopy(file, async (db) => {
    const detection = detectOn(db, file, context);
    if (detection.state === 'ambiguous') {
      report.problems.push({ rule: null, where: file, message: `claimed by ${detection.candidates.map((c) => `${c.source} ${c.id}`).join(' and ')}: a database must match one rule at most` });
      return;
    }
    const rule = detection.rule;
    if (rule === null) {
      if (detection.state === 'unknown') report.unclaimed.push(file);
      return;
    }
    // An importing rule may leave bridge-to out: its history says where the database is.
    const point = rule.bridgeTo ?? detection.bridgePoint;
    const target = context.derived.find((d) => d.name === point);
    if (rule.then === 'refuse' || target === undefined) {
      report.proven.set(rule.id, [...(report.proven.get(rule.id) ?? []), file]);
      return;
    }
    try {
      db.exec('BEGIN');
      if (rule.then === 'legacy-fallback') {
        if (legacy === undefined) {
          report.notes.push(`rule ${rule.id} (legacy-fallback) was not proven on ${file}: pass --legacy <module> to run the app's old migrations`);
          return;
        }
        await legacy(db);
        const after = detectOn(db, file, { ...context, rules: undefined });
        if (after.bridgePoint !== rule.bridgeTo) {
          report.problems.push({ rule: rule.id, where: where(rule), message: `on ${file}, the app's old migrations bring the database to ${after.bridgePoint ?? `an unrecognised state (${after.state})`}, not to bridge-to ${rule.bridgeTo ?? ''}` });
          return;
        }
      } else {
        runStatements(db, rule.prepare.flatMap((sql) => splitStatements(sql).statements));
      }
      const diff = diffSnapshots(target.snapshot, snapshotDatabase(db, { trackingTable: context.trackingTable }));
      if (!diff.identical && !userAdditionsOnly(diff, context.derived)) {
        report.problems.push({ rule: rule.id, where: where(rule), message: `on ${file}, after ${rule.then === 'legacy-fallback' ? "the app's old migrations" : 'its fix-up'} the schema is not the sequence's at ${point ?? ''}:\n${formatDiff(diff).map((l) => `    ${l}`).join('\n')}` });
        return;
      }
      report.proven.set(rule.id, [...(report.proven.get(rule.id) ?? []), file]);
    } catch (error) {
      report.problems.push({ rule: rule.id, where: where(rule), message: `on ${file}, its ${rule.then === 'legacy-fallback' ? 'legacy fallback' : 'fix-up'} failed: ${(error as Error).message}` });
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  });
}

export async function checkRules(rules: RuleSet, context: DetectionContext, databases: readonly string[], legacy?: LegacyFunction): Promise<RulesCheckReport> {
  const report = { problems: staticProblems(rules, context), proven: new Map<string, string[]>(), unclaimed: [] as string[], notes: [] as string[] };
  for (const file of databases) await proveOn(file, { ...context, rules }, legacy, report);
  return { ok: report.problems.length === 0, problems: report.problems, proven: Object.fromEntries(report.proven), unclaimed: report.unclaimed, notes: report.notes };
}
