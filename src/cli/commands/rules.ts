import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkRules } from '../../bridge/check-rules.js';
import { detectionContext } from '../../bridge/detect.js';
import { InvalidRulesError, UsageError } from '../../errors.js';
import { REFERENCE_RULES } from '../../package-paths.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { loadInputs, loadLegacyModule } from '../../bridge/load-inputs.js';

/** Without databases to prove the rules on, the reference app's rules are proven on its generated fixtures. */
async function referenceFixtures(dir: string): Promise<string[]> {
  const { generateFixtures } = await import('../../../legacy-fixtures/generate.js');
  return generateFixtures(dir).map((f) => f.file);
}

export const rules: Command = {
  name: 'rules',
  summary: 'rules check: lint bridge rules against the sequence and prove them on legacy databases',
  synopsis: 'rules check [db...]',
  help: [
    'Checks: ids unique, bridge points exist, no two rules can match the same database, each rule without a fix-up',
    'holds on the sequence at its bridge point, and on each database given (default for the reference app: its',
    "generated fixtures) the matching rule's fix-up — or legacy fallback, with --legacy — leaves exactly that schema.",
    'Never writes: databases are checked on private copies. Exit 8 when any check fails.',
  ],
  options: {},
  async run(args, out) {
    const [sub, ...databases] = args.positionals;
    if (sub !== 'check') throw new UsageError(`rules takes a subcommand: drawbridge rules check [db...]${sub === undefined ? '' : ` (got "${sub}")`}`);
    const settings = await resolveSettings(args);
    if (settings.rules === undefined) throw new UsageError('rules check needs rules: pass --rules <dir|file> (or "rules" in drawbridge.config.json).');
    const { migrations, rules: ruleSet } = loadInputs(settings);
    const legacy = settings.legacy === undefined ? undefined : await loadLegacyModule(settings.legacy);
    const context = await detectionContext({ migrations, rules: ruleSet, trackingTable: settings.table });
    const scratch = mkdtempSync(join(tmpdir(), 'drawbridge-rules-fixtures-'));
    try {
      const isReference = resolve(settings.rules) === resolve(REFERENCE_RULES);
      const files = databases.length > 0 ? databases : isReference ? await referenceFixtures(scratch) : [];
      const report = await checkRules(ruleSet ?? { source: settings.rules, app: undefined, rules: [] }, context, files, legacy?.run);
      const lines = [
        `${settings.rules}: ${ruleSet?.rules.length ?? 0} rules, checked against ${migrations.migrations.length} migrations and ${files.length} database(s)`,
        ...Object.entries(report.proven).map(([id, on]) => `  proven  ${id} on ${on.length} database(s)`),
        ...report.notes.map((n) => `  note    ${n}`),
        ...report.problems.map((p) => `  PROBLEM ${p.where}: ${p.message}`),
        report.ok ? 'all rules hold' : `${report.problems.length} problem(s)`,
      ];
      if (!report.ok && !out.json) {
        throw new InvalidRulesError(lines.join('\n'), { details: { problems: report.problems } });
      }
      out.result({ command: 'rules check', ...report }, lines);
      return report.ok ? 0 : 8;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
