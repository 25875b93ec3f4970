import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MODES } from '../../bridge/plan.js';
import { UsageError } from '../../errors.js';
import { buildReport } from '../../report/build-report.js';
import { renderHtml } from '../../report/render-html.js';
import { renderMarkdown } from '../../report/render-md.js';
import { renderText } from '../../report/render-text.js';
import type { Report } from '../../report/types.js';
import { booleanOption, databaseArgument, oneOf, stringOption, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings, type Settings } from '../config.js';
import { loadInputs } from '../../bridge/load-inputs.js';

const FORMATS = ['text', 'json', 'md', 'html'] as const;

function render(report: Report, format: (typeof FORMATS)[number], color: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'text':
      return renderText(report, { color });
  }
}

/** The flags a support engineer would repeat to run the upgrade the report describes. */
function commandFlags(args: ParsedArgs, settings: Settings): string[] {
  const flags: string[] = [];
  for (const name of ['migrations', 'rules', 'legacy', 'config', 'table'] as const) {
    const value = stringOption(args, name);
    if (value !== undefined) flags.push(`--${name}`, value);
  }
  if (stringOption(args, 'legacy') === undefined && settings.legacy !== undefined && stringOption(args, 'mode') === 'auto') flags.push('--legacy', settings.legacy);
  return flags;
}

export const report: Command = {
  name: 'report',
  summary: 'the dry-run report for support: what the database is, how sure we are, what an upgrade would do',
  synopsis: 'report <db> [--format text|json|md|html] [--out FILE] [--deep] [--mode bridge|auto|legacy]',
  help: [
    '--format   text (default; colour on a terminal unless NO_COLOR), json (the schema\'d document), md (for a ticket),',
    '           html (one self-contained file to attach to a ticket)',
    '--out      write to FILE instead of standard output',
    '--deep     integrity_check instead of quick_check',
    'Never writes to the database: the .db, -wal and -shm stay byte-identical.',
  ],
  options: { format: { type: 'string' }, out: { type: 'string' }, deep: { type: 'boolean' }, mode: { type: 'string' } },
  async run(args, out) {
    const database = databaseArgument('report', args);
    const format = out.json ? 'json' : (oneOf(args, 'format', FORMATS) ?? 'text');
    const target = stringOption(args, 'out');
    if (target !== undefined && ['', '-wal', '-shm', '-journal'].some((suffix) => resolve(target) === resolve(database + suffix))) {
      throw new UsageError(`--out ${target} is the database itself (or its -wal/-shm/-journal); a report never writes there. Choose another file.`);
    }
    if (target !== undefined && !existsSync(dirname(resolve(target)))) {
      throw new UsageError(`--out ${target}: the folder ${dirname(resolve(target))} does not exist. Create it, or write the report elsewhere.`);
    }
    const settings = await resolveSettings(args);
    const { migrations, rules } = loadInputs(settings);
    const document = await buildReport(database, {
      migrations,
      rules,
      mode: oneOf(args, 'mode', MODES),
      legacyAvailable: settings.legacy !== undefined,
      deep: booleanOption(args, 'deep'),
      table: settings.table,
      lockTimeoutMs: settings.lockTimeoutMs,
      commandFlags: commandFlags(args, settings),
    });
    const color = target === undefined && format === 'text' && process.stdout.isTTY && !process.env.NO_COLOR;
    const text = render(document, format, color);
    if (target === undefined) process.stdout.write(text);
    else {
      writeFileSync(target, text);
      out.note(`report written to ${target}`);
    }
    return 0;
  },
};
