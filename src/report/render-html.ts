import type { CheckEvidence } from '../bridge/evaluate-rule.js';
import type { Report, ReportNearVersion, ReportStep, StepFlag, StepFlagKind, TimelineEntry, TimelineStatus } from './types.js';

/**
 * The report as one self-contained HTML file, for a support engineer to attach
 * to a ticket and open anywhere: inline CSS, no script, nothing loaded from
 * anywhere (a Content-Security-Policy says so, in case a mistake ever slipped
 * in), collapsible SQL with <details> so it works with JavaScript off.
 *
 * Every name and value comes from a customer's database, so every one is
 * escaped: markup is built only with the `html` tag below, which escapes each
 * interpolated value unless it is itself markup the tag built. There is no
 * other way to put text into the page.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text as HTML text or attribute value (attributes are always double-quoted here). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** Markup built by `html`: the only thing inserted without escaping. */
class Html {
  constructor(readonly markup: string) {}
}

type Fragment = Html | string | number | null | undefined | false | readonly Fragment[];

const isList = (value: Fragment): value is readonly Fragment[] => Array.isArray(value);

function fragment(value: Fragment): string {
  if (value instanceof Html) return value.markup;
  if (isList(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template of markup: every interpolation is escaped, except markup this function made. */
function html(strings: TemplateStringsArray, ...values: readonly Fragment[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += fragment(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** A name with break opportunities after underscores and slashes, so long identifiers wrap cleanly. */
function breakable(text: string): Html {
  return html`${text.split(/(?<=[_/\\])/).map((part, i) => (i === 0 ? part : html`<wbr>${part}`))}`;
}

// ---------------------------------------------------------------------------
// Formatting values

const count = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US') : String(n));
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

function bytes(n: number): string {
  if (n < 1024) return plural(n, 'byte');
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? ''} (${count(n)} bytes)`;
}

function duration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

/** Evidence values (`unknown`): strings bare, lists joined, objects as "key: value; key: value". */
function value(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map(value).join(', ');
  if (typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length === 0 ? '{}' : entries.map(([k, x]) => `${k}: ${value(x)}`).join('; ');
  }
  return typeof v === 'symbol' ? v.toString() : typeof v;
}

/** A row's values as SQL-ish literals, e.g. ('abc', 42, NULL). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return `'${v}'`;
  return value(v);
}

function baseName(path: string): string {
  return path.split(/[/\\]/).filter((p) => p !== '').at(-1) ?? path;
}

// ---------------------------------------------------------------------------
// Small pieces

const KNOWN_STATES = new Set(['fresh', 'tracked', 'newer', 'legacy', 'ambiguous', 'unknown']);
const stateClass = (state: string): string => (KNOWN_STATES.has(state) ? `state-${state}` : 'state-other');

const STATE_MEANING: Readonly<Record<string, string>> = {
  fresh: 'An empty database: the whole sequence would run',
  tracked: 'Managed by drawbridge: its tracking table says what has run',
  newer: 'Written by a newer version of the app',
  legacy: 'A legacy schema that a rule (or a version of the sequence) recognises',
  ambiguous: 'Several rules claim this schema, differently',
  unknown: 'Nothing recognises this schema',
};

function badge(text: string, cls: string): Html {
  return html`<span class="badge ${cls}">${text}</span>`;
}

function ok(flag: boolean): Html {
  return flag ? html`<span class="ok yes" title="holds">✓</span>` : html`<span class="ok no" title="does not hold">✗</span>`;
}

function names(list: readonly string[]): Html {
  return html`<ul class="chips">${list.map((n) => html`<li><code>${breakable(n)}</code></li>`)}</ul>`;
}

const FLAG_LABEL: Readonly<Record<StepFlagKind, string>> = { drop: 'drop', rebuild: 'rebuild', data: 'data', code: 'code' };

function flagBadge(flag: StepFlag): Html {
  const kind: StepFlagKind = flag.kind in FLAG_LABEL ? flag.kind : 'code';
  const rows = flag.rows === null ? null : html` <span class="rows">${plural(flag.rows, 'row')}</span>`;
  return html`<span class="flag flag-${kind}">${FLAG_LABEL[kind]}${rows}</span>`;
}

function evidenceTable(evidence: readonly CheckEvidence[]): Html {
  return html`<table class="evidence">
<colgroup><col class="w-check"><col><col><col class="w-ok"></colgroup>
<thead><tr><th scope="col">Check</th><th scope="col">Expected</th><th scope="col">Found</th><th scope="col" class="c">OK</th></tr></thead>
<tbody>${evidence.map(
    (e) => html`
<tr class="${e.ok ? 'pass' : 'fail'}"><td><code>${e.check}</code></td><td>${value(e.expected)}</td><td>${value(e.found)}</td><td class="c">${ok(e.ok)}</td></tr>`,
  )}
</tbody></table>`;
}

function diffLines(lines: readonly string[]): Html {
  if (lines.length === 0) return html`<p class="muted">No differences listed.</p>`;
  const cls = (line: string): string => (line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('~') ? 'chg' : 'ctx');
  return html`<pre class="diff">${lines.map((line, i) => html`${i === 0 ? null : '\n'}<span class="${cls(line)}">${line}</span>`)}</pre>`;
}

function sqlBlock(sql: string, open = false): Html {
  const lines = sql.split('\n').length;
  return html`<details class="sql"${open ? html` open` : null}><summary>SQL <span class="muted">(${plural(lines, 'line')})</span></summary><pre><code>${sql}</code></pre></details>`;
}

// ---------------------------------------------------------------------------
// Sections

function rangeOf(list: readonly string[]): string {
  if (list.length === 0) return '';
  if (list.length === 1) return list[0] ?? '';
  return `${list[0] ?? ''} … ${list.at(-1) ?? ''}`;
}

/** What the upgrade would do, in one sentence. */
function verdict(report: Report): Html {
  const { plan, detection } = report;
  const target = plan.target ?? '(the end of the sequence)';
  switch (plan.action) {
    case 'nothing':
      return html`Nothing: the database is already up to date at <code>${target}</code>.`;
    case 'run-pending':
      return html`Run ${plural(plan.pending.length, 'pending migration')} (<code>${rangeOf(plan.pending.map((s) => s.name))}</code>) up to <code>${target}</code>, in one transaction.`;
    case 'bridge': {
      // Each part as [first in the sentence, later in it].
      const parts: [Html, Html][] = [];
      if (plan.prepare !== null) parts.push([html`Run the rule's fix-up SQL`, html`run the rule's fix-up SQL`]);
      if (plan.backfill.length > 0) {
        const recorded = html`${plural(plan.backfill.length, 'migration')} as already applied (up to <code>${detection.bridgePoint ?? plan.backfill.at(-1) ?? ''}</code>) without running them`;
        parts.push([html`Record ${recorded}`, html`record ${recorded}`]);
      }
      if (plan.pending.length > 0) {
        const run = html`${plural(plan.pending.length, 'migration')} up to <code>${target}</code>`;
        parts.push([html`Run ${run}`, html`run ${run}`]);
      }
      if (plan.pending.length === 0) {
        const check = html`the schema equals the sequence's at <code>${target}</code>`;
        parts.push([html`Check ${check}`, html`check ${check}`]);
      }
      return html`${parts.map(([first, later], i) => (i === 0 ? first : html`, then ${later}`))}, all in one transaction.`;
    }
    case 'legacy-then-bridge':
      return html`Run the app's old migrations, detect again, then bridge what they leave and run the sequence up to <code>${target}</code>, all in one transaction.`;
    case 'legacy-only':
      return html`Run only the app's old migrations (mode legacy), and nothing else.`;
    case 'refuse':
      return html`Nothing: the upgrade refuses this database${plan.refusal === null ? null : html` (<code>${plan.refusal.kind}</code>)`} and would change nothing. The plan below says why and what to do.`;
    default:
      return html`Action <code>${plan.action}</code>.`;
  }
}

function summary(report: Report): Html {
  const { detection: d, plan, health, file } = report;
  const refused = plan.action === 'refuse';
  const healthText = health.ok && health.foreignKeyViolations.count === 0 ? 'ok' : health.ok ? 'ok, with foreign-key violations' : 'problems found';
  const healthy = health.ok && health.foreignKeyViolations.count === 0;
  const rule =
    d.rule === null
      ? html`<span class="muted">none</span>`
      : html`<code class="rule-id">${d.rule.id}</code>${d.rule.title === null ? null : html` <span class="rule-title">${d.rule.title}</span>`}`;
  return html`<section id="summary" class="summary">
<div class="eyebrow">drawbridge dry-run report</div>
<h1><span class="file-name">${breakable(baseName(file.path))}</span> <span class="badge state ${stateClass(d.state)}">${d.state}</span>${refused ? html` <span class="badge refused">refused</span>` : null}</h1>
<div class="path"><code>${breakable(file.path)}</code></div>
<p class="meaning muted">${STATE_MEANING[d.state] ?? 'The state detection reported'}.</p>
<p class="verdict${refused ? ' verdict-refused' : ''}">${verdict(report)}</p>
<dl class="facts">
<dt>Rule</dt><dd>${rule}</dd>
<dt>Bridge point</dt><dd>${d.bridgePoint === null ? html`<span class="muted">none</span>` : html`<code>${breakable(d.bridgePoint)}</code>`}</dd>
<dt>Target</dt><dd>${plan.target === null ? html`<span class="muted">none</span>` : html`<code>${breakable(plan.target)}</code>`}</dd>
<dt>Mode · action</dt><dd><code>${plan.mode}</code> · <code>${plan.action}</code></dd>
<dt>Health</dt><dd>${badge(healthText, healthy ? 'good' : 'bad')} <span class="muted">${health.check}${health.problems.length > 0 ? `, ${plural(health.problems.length, 'problem')}` : ''}${health.foreignKeyViolations.count > 0 ? `, ${plural(health.foreignKeyViolations.count, 'foreign-key violation')}` : ''}</span></dd>
</dl>
<div class="command"><div class="label">${refused ? 'The command (it would refuse, as above)' : 'The command that would perform it'}</div><pre><code>${plan.command}</code></pre></div>
</section>`;
}

const STATUS: Readonly<Record<TimelineStatus, { readonly label: string; readonly legend: string }>> = {
  applied: { label: 'applied', legend: 'applied: the tracking table records it as run' },
  backfill: { label: 'recorded', legend: 'recorded: its changes are already in the schema; recorded as applied, not run' },
  pending: { label: 'will run', legend: 'will run: pending, up to the target' },
  'beyond-target': { label: 'beyond target', legend: 'beyond target: after the target, not run' },
  absent: { label: 'not placed', legend: 'not placed: the database is not on the sequence' },
};

const PRESENCE: Readonly<Record<TimelineEntry['presence'], string>> = {
  present: '● present',
  partial: '◐ partial',
  absent: '○ absent',
  'data-only': '◇ data only',
};

/** The cells of one migration's column: the rules that join there, the marker, the box. */
function timelineColumn(entry: TimelineEntry, claimed: ReadonlySet<string>, matched: string | null, hereLabel: string): Html {
  const status = STATUS[entry.status] ?? STATUS.absent;
  const cls = `${entry.status in STATUS ? `s-${entry.status}` : 's-absent'}${entry.here ? ' here' : ''}`;
  const number = /^(\d+)_(.*)$/.exec(entry.migration);
  const name = number === null ? breakable(entry.migration) : html`<span class="tl-num">${number[1] ?? ''}<span class="us">_</span></span>${breakable(number[2] ?? '')}`;
  const rules = entry.rules.map((id) => {
    const chip = id === matched ? 'rule-chip matched' : claimed.has(id) ? 'rule-chip claimed' : 'rule-chip';
    return html`<li class="${chip}">${id}</li>`;
  });
  return html`
<ul class="tl-rules ${cls}" aria-label="rules that join at ${entry.migration}">${rules}</ul>
<div class="tl-marker ${cls}">${entry.here ? html`<span class="here-flag">▼ ${hereLabel}</span>` : null}</div>
<div class="tl-box ${cls}" title="${entry.migration}: ${status.label}, schema ${entry.presence}">
<div class="tl-name">${name}</div>
<div class="tl-status">${status.label}</div>
<div class="tl-presence">${PRESENCE[entry.presence] ?? entry.presence}</div>
</div>`;
}

/** Rows of at most ten migrations, as even as can be: each row is one grid whose columns line up. */
function timelineRows(entries: readonly TimelineEntry[]): (readonly TimelineEntry[])[] {
  const rows = Math.max(1, Math.ceil(entries.length / 10));
  const per = Math.ceil(entries.length / rows);
  return Array.from({ length: rows }, (_, i) => entries.slice(i * per, (i + 1) * per));
}

function timeline(report: Report): Html {
  const { detection: d, timeline: entries } = report;
  const claimed = new Set(d.candidates.filter((c) => c.source === 'rule').map((c) => c.id));
  const matched = d.rule?.id ?? null;
  const tracked = d.state === 'tracked' || d.state === 'newer';
  const hereLabel = tracked ? 'this database is here' : 'this database joins here';
  const here = entries.find((e) => e.here);
  const where =
    here === undefined
      ? html`<strong>This database joins the sequence nowhere:</strong> ${d.state === 'fresh' ? 'it is empty, so every migration would run.' : 'nothing places it on the sequence (see the evidence and nearest matches below).'}`
      : html`<strong>${tracked ? 'This database is at' : 'This database joins the sequence at'} <code>${here.migration}</code></strong>${matched === null ? null : html` (rule <code>${matched}</code>)`}.`;
  const used = new Set(entries.map((e) => e.status));
  const legend = (Object.keys(STATUS) as TimelineStatus[]).filter((s) => used.has(s)).map((s) => html`<li><span class="swatch s-${s}"></span>${STATUS[s].legend}</li>`);
  // The column the database joins at is wider, so its marker reads on one line.
  const grid = (row: readonly TimelineEntry[]): string => `grid-template-columns: ${row.map((e) => (e.here ? '2fr' : '1fr')).join(' ')}`;
  const rows = timelineRows(entries).map(
    (row) => html`<div class="tl" style="${grid(row)}">${row.map((e) => timelineColumn(e, claimed, matched, hereLabel))}</div>`,
  );
  return html`<section id="timeline">
<h2>Timeline</h2>
<p>${where}</p>
<p class="muted">The sequence's ${plural(entries.length, 'migration')}, oldest first. Above each: the legacy releases (bridge rules) that join the sequence there.</p>
${entries.length === 0 ? html`<p class="muted">The sequence has no migrations.</p>` : rows}
<ul class="legend">${legend}<li><span class="rule-chip matched">rule</span> the rule that recognised this database</li><li>● present ◐ partial ○ absent ◇ data only: how much of each migration's schema change the database shows</li></ul>
</section>`;
}

function evidence(report: Report): Html {
  const d = report.detection;
  const parts: Html[] = [];
  if (d.rule !== null) {
    const held = d.evidence.filter((e) => e.ok).length;
    parts.push(html`<p>Rule <code class="rule-id">${d.rule.id}</code> <span class="muted">(${d.rule.location}; then <code>${d.rule.then}</code>)</span>: ${count(held)} of ${plural(d.evidence.length, 'check')} hold.</p>`);
    if (d.rule.notes !== null) parts.push(html`<blockquote class="notes">${d.rule.notes}</blockquote>`);
  }
  if (d.derived !== null) {
    parts.push(
      html`<p>The schema equals the sequence's at <code>${d.derived.name ?? '(empty)'}</code>${d.derived.userAdditions.length > 0 ? html`, plus the user's own (left alone): ${names(d.derived.userAdditions)}` : '.'}</p>`,
    );
  }
  for (const h of d.foreignHistories) {
    const verdict = h.problems.length > 0 ? html`<div class="callout bad"><strong>Cannot be taken as it stands:</strong><ul>${h.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : '';
    parts.push(html`<p>Another tool's history: <code>${h.table}</code> (${h.tool}), ${plural(h.rows, 'row')}${h.imported ? ', imported by the rule' : ''}.</p>${verdict}`);
  }
  if (d.tracking !== null) {
    parts.push(html`<p>Tracking table: ${plural(d.tracking.applied, 'migration')} applied, ${count(d.tracking.pending)} pending.</p>`);
    if (d.tracking.unknown.length > 0) parts.push(html`<div class="callout bad"><strong>Migrations this app does not know</strong> (a newer app ran them): ${names(d.tracking.unknown)}</div>`);
  }
  if (d.candidates.length > 1) {
    parts.push(
      html`<div class="callout warn"><strong>Several claim this database:</strong><ul>${d.candidates.map(
        (c) => html`<li>${c.source} <code>${c.id}</code> → ${c.bridgePoint === null ? html`<span class="muted">no bridge point</span>` : html`<code>${c.bridgePoint}</code>`}</li>`,
      )}</ul></div>`,
    );
  }
  if (d.evidence.length > 0) parts.push(evidenceTable(d.evidence));
  else {
    const why =
      d.state === 'unknown'
        ? 'No rule or version claims this database, so there is no evidence of a match; the nearest ones are below.'
        : d.state === 'tracked' || d.state === 'newer'
          ? 'Tracked databases are placed by their tracking table, not by rule checks.'
          : d.state === 'fresh'
            ? 'The database has no schema at all.'
            : 'No checks were recorded.';
    parts.push(html`<p class="muted">${why}</p>`);
  }
  return html`<section id="evidence">
<h2>Evidence</h2>
${parts}
</section>`;
}

function nearVersion(v: ReportNearVersion): Html {
  return html`<div class="near">
<h4>Version <code>${v.name ?? '(empty)'}</code> <span class="muted">${plural(v.differences, 'difference')}, from the version to this database</span></h4>
${diffLines(v.lines)}
</div>`;
}

function nearest(report: Report): Html | null {
  const d = report.detection;
  const { rules, versions } = d.nearest;
  if (rules.length === 0 && versions.length === 0 && d.state !== 'unknown' && d.state !== 'ambiguous') return null;
  return html`<section id="nearest">
<h2>Nearest matches</h2>
<div>
<h3>Nearest rules <span class="muted">(the checks that failed)</span></h3>
${rules.length === 0 ? html`<p class="muted">No rule comes close.</p>` : rules.map((r) => html`<div class="near"><h4>Rule <code class="rule-id">${r.id}</code> <span class="muted">${plural(r.failed.length, 'check')} failed</span></h4>${evidenceTable(r.failed)}</div>`)}
</div>
<div>
<h3>Nearest versions <span class="muted">(what differs)</span></h3>
${versions.length === 0 ? html`<p class="muted">No version of the sequence comes close.</p>` : versions.map(nearVersion)}
</div>
</section>`;
}

function step(s: ReportStep, kind: string): Html {
  const flags =
    s.flags.length === 0
      ? html`<p class="muted flags-none">No destructive or data-changing statements.</p>`
      : html`<ul class="flags">${s.flags.map((f) => html`<li>${flagBadge(f)} <span>${f.detail}</span></li>`)}</ul>`;
  const body = s.sql === null ? html`<p class="muted">No SQL to show: a code migration.</p>` : sqlBlock(s.sql);
  return html`<li class="step">
<div class="step-head"><span class="step-kind">${kind}</span> <code class="step-name">${breakable(s.name)}</code></div>
${flags}
${body}
</li>`;
}

function plan(report: Report): Html {
  const p = report.plan;
  const refusal =
    p.refusal === null
      ? null
      : html`<div class="callout bad refusal"><strong>Refused (<code>${p.refusal.kind}</code>)</strong><p>${p.refusal.message}</p></div>`;
  const steps: Html[] = [];
  if (p.prepare !== null) steps.push(html`<h3>Fix-up SQL <span class="muted">(from the rule, runs first)</span></h3><ol class="steps">${step(p.prepare, 'fix-up')}</ol>`);
  if (p.backfill.length > 0) {
    steps.push(html`<h3>Recorded as applied, not run <span class="muted">(${plural(p.backfill.length, 'migration')}: their changes are already in the schema)</span></h3>${names(p.backfill)}`);
    if (p.imported.length > 0) {
      steps.push(html`<ul class="imported">${p.imported.map((i) => html`<li><code>${i.name}</code> imported from <code>${i.table}</code> (${i.tool}): ${names(i.ids)}</li>`)}</ul>`);
    }
  }
  if (p.pending.length > 0) steps.push(html`<h3>Will run <span class="muted">(${plural(p.pending.length, 'migration')}, in order)</span></h3><ol class="steps">${p.pending.map((s) => step(s, 'migration'))}</ol>`);
  else if (p.action !== 'refuse') steps.push(html`<p class="muted">No migrations would run.</p>`);
  return html`<section id="plan">
<h2>Plan</h2>
<dl class="facts">
<dt>Mode</dt><dd><code>${p.mode}</code></dd>
<dt>Action</dt><dd><code>${p.action}</code></dd>
<dt>Target</dt><dd>${p.target === null ? html`<span class="muted">none</span>` : html`<code>${p.target}</code>`}</dd>
</dl>
${refusal}
${steps}
</section>`;
}

function estimate(report: Report): Html {
  const { estimate: e, action, pending, prepare } = report.plan;
  const runs = action !== 'refuse' && action !== 'nothing' && (pending.length > 0 || prepare !== null);
  const body = !runs && e.rowsTouched === 0
    ? html`<p class="big">Nothing would run, so no rows would be touched.</p>`
    : html`<p class="big"><strong>${plural(e.rowsTouched, 'row')}</strong> touched by destructive and data steps · <strong>${duration(e.seconds)}</strong> <span class="muted">(${count(e.seconds)} s)</span></p>`;
  return html`<section id="estimate">
<h2>Estimate</h2>
${body}
<p class="muted">${e.basis}</p>
</section>`;
}

function health(report: Report): Html {
  const h = report.health;
  const fk = h.foreignKeyViolations;
  const problems =
    h.problems.length === 0
      ? html`<p>${ok(true)} <code>${h.check}</code> found no problems.</p>`
      : html`<p>${ok(false)} <code>${h.check}</code> reports ${plural(h.problems.length, 'problem')}:</p><pre class="problems">${h.problems.map((x, i) => html`${i === 0 ? null : '\n'}${x}`)}</pre>`;
  const violations =
    fk.count === 0
      ? html`<p>${ok(true)} No foreign-key violations.</p>`
      : html`<p>${ok(false)} ${plural(fk.count, 'foreign-key violation')} <span class="muted">(kept exactly as they are by an upgrade; ${fk.sample.length < fk.count ? `a sample of ${count(fk.sample.length)}` : 'all'} shown)</span></p>
<table class="data"><colgroup><col><col class="w-num"><col><col></colgroup><thead><tr><th scope="col">Table</th><th scope="col" class="n">rowid</th><th scope="col">Parent</th><th scope="col">Values</th></tr></thead>
<tbody>${fk.sample.map((v) => html`<tr><td><code>${v.table}</code></td><td class="n">${v.rowid === null ? '—' : count(v.rowid)}</td><td><code>${v.parent}</code></td><td><code>(${v.values.map(literal).join(', ')})</code></td></tr>`)}</tbody></table>`;
  const drift =
    h.drift === null
      ? null
      : h.drift.identical
        ? html`<p>${ok(true)} No drift: the schema is what the applied migrations produce${h.drift.against === null ? null : html` at <code>${h.drift.against}</code>`}.</p>`
        : html`<p>${ok(false)} Drift from what the applied migrations produce${h.drift.against === null ? null : html` at <code>${h.drift.against}</code>`}:</p>${diffLines(h.drift.lines)}`;
  return html`<section id="health">
<h2>Health <span class="badge ${h.ok && fk.count === 0 ? 'good' : 'bad'}">${h.ok && fk.count === 0 ? 'ok' : 'not ok'}</span></h2>
${problems}
${violations}
${drift}
</section>`;
}

function identity(report: Report): Html {
  const f = report.file;
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  const facts: [string, Fragment][] = [
    ['Path', html`<code>${breakable(f.path)}</code>`],
    ['Size', bytes(f.sizeBytes)],
    ['Pages', `${count(f.pageCount)} × ${count(f.pageSize)} bytes, ${count(f.freelistCount)} free`],
    ['Journal mode', f.journalMode],
    ['Encoding', f.encoding],
    ['user_version', count(f.userVersion)],
    ['application_id', `${count(f.applicationId)} (0x${(f.applicationId >>> 0).toString(16).padStart(8, '0')})`],
    ['Last written by', `SQLite ${f.lastWrittenBySqlite}`],
    ['WAL file', f.wal.present ? `present, ${bytes(f.wal.sizeBytes)}` : 'none'],
    ['Shared-memory file', f.shm.present ? 'present' : 'none'],
    ['Rollback journal', f.journal.present ? 'present (hot journal)' : 'none'],
    ['Read from a copy', html`${yes(f.readFromCopy)}${f.readFromCopy ? html` <span class="muted">(the original file was left untouched)</span>` : null}`],
  ];
  const total = report.tables.reduce((n, t) => n + t.rows, 0);
  return html`<section id="identity">
<h2>Identity</h2>
<div class="cols">
<div><h3>The file</h3><dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></div>
<div><h3>Tables <span class="muted">(${plural(report.tables.length, 'table')}, ${plural(total, 'row')})</span></h3>
<table class="data"><colgroup><col><col class="w-num"><col class="w-num"></colgroup><thead><tr><th scope="col">Table</th><th scope="col" class="n">Rows</th><th scope="col" class="n">Columns</th></tr></thead>
<tbody>${report.tables.map((t) => html`<tr><td><code>${breakable(t.name)}</code></td><td class="n">${count(t.rows)}</td><td class="n">${count(t.columns)}</td></tr>`)}</tbody></table>
</div>
</div>
</section>`;
}

// ---------------------------------------------------------------------------

const CSS = `
:root { --ink: #1d2733; --muted: #5d6b7b; --line: #dde2e8; --bg: #f3f5f7; --card: #fff; --navy: #1f3f66; --code-bg: #f5f7f9;
  --green: #1e7a4c; --green-bg: #e6f4ec; --blue: #2a5d9f; --blue-bg: #e8f0fa; --amber: #9a5b00; --amber-bg: #fff4df;
  --red: #b42318; --red-bg: #fdecea; --purple: #6b3fa0; --purple-bg: #f1ebf9; --grey-bg: #eef1f4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 24px 40px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px 20px; margin: 0 0 16px; }
h1 { font-size: 24px; line-height: 1.25; margin: 2px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 0 0 12px; font-weight: 650; }
h3 { font-size: 14px; margin: 16px 0 8px; }
h4 { font-size: 13.5px; margin: 12px 0 6px; font-weight: 600; }
p { margin: 6px 0; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
code { overflow-wrap: anywhere; unicode-bidi: isolate; }
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); font-weight: normal; }
.eyebrow { font-size: 12px; text-transform: uppercase; letter-spacing: .1em; color: var(--muted); }
.path { color: var(--muted); margin-bottom: 6px; }
.meaning { margin: 0 0 8px; }
.verdict { font-size: 15.5px; background: var(--blue-bg); border-left: 4px solid var(--blue); padding: 10px 14px; border-radius: 0 6px 6px 0; margin: 10px 0 14px; }
.verdict-refused { background: var(--red-bg); border-left-color: var(--red); }
.badge { display: inline-block; font-size: 12px; font-weight: 650; letter-spacing: .02em; padding: 2px 10px; border-radius: 999px; vertical-align: middle; border: 1px solid transparent; overflow-wrap: anywhere; }
h1 .badge { font-size: 13px; position: relative; top: -2px; }
.state-legacy { background: var(--blue-bg); color: var(--blue); border-color: #b9cfee; }
.state-tracked { background: var(--green-bg); color: var(--green); border-color: #b5dcc5; }
.state-fresh { background: #e3f5f5; color: #176a6a; border-color: #b0dcdc; }
.state-newer { background: var(--purple-bg); color: var(--purple); border-color: #d3c2ec; }
.state-ambiguous { background: #fdeee2; color: #a5460b; border-color: #f3c9a8; }
.state-unknown { background: var(--amber-bg); color: var(--amber); border-color: #f0d29c; }
.state-other { background: var(--grey-bg); color: var(--ink); border-color: var(--line); }
.refused, .bad.badge { background: var(--red-bg); color: var(--red); border-color: #f2b8b2; }
.good.badge { background: var(--green-bg); color: var(--green); border-color: #b5dcc5; }
h2 .badge { margin-left: 6px; text-transform: none; letter-spacing: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 5px 18px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.rule-id { font-weight: 650; }
.command .label { color: var(--muted); font-size: 12.5px; margin-top: 10px; }
.command pre { background: #17212e; color: #e8eef5; border-color: #17212e; font-size: 13px; }
/* timeline: one grid per row of migrations, three cells per column (rules, marker, box) */
.tl { display: grid; grid-template-rows: auto auto auto; grid-auto-flow: column; column-gap: 10px; margin: 16px 0 8px; }
.tl-rules { list-style: none; margin: 0; padding: 0 0 4px; display: flex; flex-direction: column; justify-content: flex-end; gap: 3px; min-width: 0; }
.rule-chip { display: block; font-size: 11px; line-height: 1.3; padding: 2px 6px; border-radius: 4px; background: var(--grey-bg); border: 1px solid var(--line); color: var(--ink); overflow-wrap: anywhere; text-align: center; unicode-bidi: isolate; }
ul.legend .rule-chip { display: inline-block; }
.rule-chip.claimed { background: #fdeee2; border-color: #f3c9a8; color: #a5460b; font-weight: 600; }
.rule-chip.matched { background: var(--navy); border-color: var(--navy); color: #fff; font-weight: 600; }
.tl-marker { display: flex; align-items: flex-end; justify-content: center; min-width: 0; }
.here-flag { display: block; width: 100%; margin-bottom: 5px; font-size: 11.5px; font-weight: 700; color: #fff; background: var(--navy); border-radius: 4px; padding: 2px 6px; text-align: center; line-height: 1.35; }
.tl-box { position: relative; min-width: 0; border: 1.5px solid var(--line); border-radius: 8px; padding: 7px 7px 8px; background: #fff; display: flex; flex-direction: column; }
.tl-box:not(:last-child)::after { content: ""; position: absolute; top: 22px; right: -11.5px; width: 10px; border-top: 2px solid #aab4bf; }
.tl-name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 10.5px; line-height: 1.35; overflow-wrap: anywhere; flex: 1 0 auto; unicode-bidi: isolate; }
.tl-num { display: block; font-size: 15px; font-weight: 700; }
.tl-num .us { color: #b3bcc6; font-weight: 400; }
.tl-status { font-size: 12px; font-weight: 650; margin-top: 8px; }
.tl-presence { font-size: 11px; color: var(--muted); white-space: nowrap; }
.tl-box.s-applied, .swatch.s-applied { background: var(--green-bg); border-color: #8cc8a6; }
.s-applied .tl-status { color: var(--green); }
.tl-box.s-backfill, .swatch.s-backfill { background: repeating-linear-gradient(135deg, #eef3fb 0 7px, #e2eaf6 7px 14px); border-color: #9fbbe3; }
.s-backfill .tl-status { color: var(--blue); }
.tl-box.s-pending, .swatch.s-pending { background: var(--amber-bg); border: 1.5px dashed #d99a2b; }
.s-pending .tl-status { color: var(--amber); }
.tl-box.s-beyond-target, .swatch.s-beyond-target { background: #f7f8fa; border-color: var(--line); color: var(--muted); }
.tl-box.s-beyond-target { opacity: .8; }
.tl-box.s-absent, .swatch.s-absent { background: #fff; border: 1.5px dotted #a9b3bf; }
.s-absent .tl-status { color: var(--muted); }
.tl-box.here { border: 3px solid var(--navy); box-shadow: 0 0 0 3px #cfdbeb; padding: 5.5px 5.5px 6.5px; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 20px; padding: 10px 0 0; margin: 10px 0 0; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
ul.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 18px; height: 12px; border-radius: 3px; border: 1.5px solid var(--line); }
/* tables */
table { border-collapse: collapse; width: 100%; margin: 8px 0; table-layout: fixed; }
col.w-check { width: 36%; }
col.w-ok { width: 56px; }
col.w-num { width: 96px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f8f9fb; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.c { text-align: center; }
tr.fail td { background: #fff6f5; }
.ok { font-weight: 700; font-size: 15px; }
.ok.yes { color: var(--green); }
.ok.no { color: var(--red); }
.chips { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 6px 0; }
.chips li code { display: inline-block; background: var(--grey-bg); border: 1px solid var(--line); border-radius: 4px; padding: 1px 6px; }
.callout { border-radius: 6px; padding: 10px 14px; margin: 10px 0; border: 1px solid var(--line); }
.callout.bad { background: var(--red-bg); border-color: #f2b8b2; }
.callout.warn { background: var(--amber-bg); border-color: #f0d29c; }
.callout ul { margin: 6px 0 0; padding-left: 20px; }
.callout p { margin: 6px 0 0; overflow-wrap: anywhere; }
blockquote.notes { margin: 8px 0 12px; padding: 6px 14px; border-left: 3px solid var(--line); color: var(--muted); }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 28px; }
.near { margin-bottom: 12px; }
pre.diff .add { color: var(--green); }
pre.diff .del { color: var(--red); }
pre.diff .chg { color: var(--amber); }
pre.problems { background: var(--red-bg); border-color: #f2b8b2; }
/* plan */
ol.steps { list-style: none; padding: 0; margin: 0; }
.step { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 8px 0; break-inside: avoid; }
.step-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.step-kind { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.step-name { font-weight: 650; font-size: 13px; }
ul.flags { list-style: none; padding: 0; margin: 6px 0; }
ul.flags li { margin: 3px 0; overflow-wrap: anywhere; }
.flags-none { font-size: 12.5px; }
.flag { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; padding: 1px 7px; border-radius: 4px; border: 1px solid transparent; white-space: nowrap; }
.flag .rows { text-transform: none; font-weight: 600; letter-spacing: 0; }
.flag-drop { background: var(--red-bg); color: var(--red); border-color: #f2b8b2; }
.flag-rebuild { background: #fdeee2; color: #a5460b; border-color: #f3c9a8; }
.flag-data { background: var(--blue-bg); color: var(--blue); border-color: #b9cfee; }
.flag-code { background: var(--purple-bg); color: var(--purple); border-color: #d3c2ec; }
details.sql summary { cursor: pointer; color: var(--blue); font-size: 13px; margin-top: 4px; }
details.sql pre { max-height: 480px; overflow: auto; }
.big { font-size: 15px; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 4px 0 0; }
@media (max-width: 1000px) {
  .tl { column-gap: 6px; }
  .tl-box { padding: 5px 4px 6px; }
  .tl-box:not(:last-child)::after { right: -7.5px; width: 6px; }
  .tl-box.here { padding: 3.5px 2.5px 4.5px; }
  .tl-name, .tl-presence { font-size: 9px; }
  .tl-num { font-size: 12px; }
  .tl-status { font-size: 10px; }
  .rule-chip, .here-flag { font-size: 9.5px; padding: 1px 2px; }
}
@media (max-width: 820px) { .cols { grid-template-columns: minmax(0, 1fr); } main { padding: 12px; } }
@media print {
  @page { margin: 12mm; }
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  section { border: none; border-top: 1px solid var(--line); border-radius: 0; padding: 10px 0; margin: 0; break-inside: auto; }
  #summary, #timeline, .step, tr, .near { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .tl { column-gap: 6px; }
  .tl-box { padding: 5px 4px 6px; }
  .tl-box:not(:last-child)::after { right: -7.5px; width: 6px; }
  .tl-box.here { padding: 3.5px 2.5px 4.5px; }
  .tl-name, .tl-presence { font-size: 8.5px; }
  .tl-num { font-size: 11px; }
  .tl-status { font-size: 9.5px; }
  .rule-chip, .here-flag { font-size: 9px; padding: 1px 2px; }
  details.sql pre { max-height: none; overflow: visible; }
  details.sql::details-content { content-visibility: visible; display: block; }
}
`;

/** The report as one self-contained HTML document: inline CSS, no script, nothing loaded. */
export function renderHtml(report: Report): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="generator" content="drawbridge ${report.toolVersion}">
<title>drawbridge report — ${baseName(report.file.path)}</title>
<style>${new Html(CSS)}</style>
</head>
<body>
<main>
${summary(report)}
${timeline(report)}
${evidence(report)}
${nearest(report)}
${plan(report)}
${estimate(report)}
${health(report)}
${identity(report)}
<footer>A dry run: nothing in the database was changed. Generated ${report.generatedAt} by drawbridge ${report.toolVersion} · ${report.format} version ${count(report.version)}.</footer>
</main>
</body>
</html>
`;
  return page.markup;
}
