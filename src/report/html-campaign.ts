import type { CampaignReport, CampaignSection } from '../domain/campaign-report.js';
import { barChart, liftChart } from './html-charts.js';
import { esc, table } from './html-format.js';
import { decimal, fen, int, liftPoints, pct, points, yuan } from './number-format.js';
import { occurrenceLabel } from './occurrence-label.js';

/** The campaign parts of the HTML report: the comparison across campaigns and one section each. */

const STEPS = [
  ['matched', 'matched'],
  ['contacted', 'contacted'],
  ['delivered', 'delivered'],
  ['clicked', 'clicked'],
  ['converted', 'converted'],
] as const;

function rateOf(v: number, of: number): string {
  return of > 0 ? pct(v / of) : '–';
}

/** Lift per campaign with its interval, and the numbers an operator compares. */
export function campaignComparison(reports: readonly CampaignReport[]): string {
  if (reports.length === 0) return '';
  const rows = reports.map((r) => {
    const c = r.cumulative;
    return [
      `<a href="#c-${esc(r.campaignId)}">${esc(r.campaignId)}</a>`,
      int(c.contacted),
      pct(c.lift.treatedRate, 2),
      pct(c.lift.holdoutRate, 2),
      esc(liftPoints(c.lift)),
      c.lift.absoluteInterval
        ? `${points(c.lift.absoluteInterval.low)} … ${points(c.lift.absoluteInterval.high)}`
        : '–',
      decimal(c.lift.incrementalConversions),
      yuan(c.efficiency.cost),
      yuan(c.efficiency.costPerIncrementalConversion),
      yuan(c.efficiency.cashPerIncrementalConversion),
      decimal(c.efficiency.roi),
    ];
  });
  const chart = liftChart(
    'lift',
    'Lift over the holdout, with 95% intervals',
    reports.map((r) => ({
      key: r.campaignId,
      label: r.campaignId,
      absolute: r.cumulative.lift.absolute,
      low: r.cumulative.lift.absoluteInterval?.low ?? null,
      high: r.cumulative.lift.absoluteInterval?.high ?? null,
    })),
  );
  return `<section id="campaigns"><h2>Campaigns against their holdouts</h2>
<p class="note">Treated: every user the campaign set out to contact (reached or not); holdout: the random control group. Lift = treated conversion rate − holdout conversion rate, 95% Newcombe interval. Cost = messages + incentives granted (what the budget is charged); cash = messages + incentives redeemed.</p>
${chart}
${table(['campaign', 'contacted', 'treated conv.', 'holdout conv.', 'lift', '95% interval', 'incremental conv.', 'cost', 'cost / incremental conv.', 'cash / incremental conv.', 'invested per ¥ of cost'], rows, 'numbers')}
</section>`;
}

function funnelBars(c: CampaignSection): { key: string; label: string; value: number; note?: string }[] {
  return STEPS.map(([key, label], i) => {
    const prev = STEPS[i - 1];
    return { key, label, value: c[key], ...(prev ? { note: rateOf(c[key], c[prev[0]]) } : {}) };
  });
}

function occurrenceRows(r: CampaignReport, tz: string): string[][] {
  return r.occurrences.map((o) => [
    esc(occurrenceLabel(o.label, tz)),
    int(o.matched),
    int(o.contacted),
    int(o.converted),
    `${int(o.treated.converted)} / ${int(o.treated.users)}`,
    `${int(o.holdout.converted)} / ${int(o.holdout.users)}`,
    esc(liftPoints(o.lift)),
    yuan(o.efficiency.costPerIncrementalConversion),
    o.windowsOpen ? 'open' : 'closed',
  ]);
}

/** The budget's books (all occurrences): spent, and what accounts for it. */
function budgetRows(r: CampaignReport): string[][] {
  const b = r.budget;
  if (!b) return [];
  return [
    ['budget spent', `${fen(b.spentFen)} of ${fen(b.capFen)}`],
    ['on users reached or possibly reached', fen(b.keptFen)],
    ['in flight', fen(b.inFlightFen)],
    ['written off', b.writtenOffFen > 0 ? `<strong>${fen(b.writtenOffFen)}</strong>` : fen(0)],
  ];
}

/** Users counted once; with several occurrences the funnel and tables sum them. */
function usersNote(r: CampaignReport): string {
  const n = r.occurrences.length;
  const users = `users ${int(r.users.matched)} matched, ${int(r.users.contacted)} contacted`;
  return n > 1 ? `${users} (each once; the figures below sum ${int(n)} occurrences, a user once in each)` : users;
}

/** One campaign: its funnel, channels, skips, money, and occurrences (their times in `tz`). */
export function campaignSection(r: CampaignReport, tz: string): string {
  const c = r.cumulative;
  const goal = r.goal
    ? `${r.goal.event} within ${r.goal.withinDays} days${r.goal.minAmount ? `, at least ¥${r.goal.minAmount}` : ''}${r.goal.category ? `, ${r.goal.category}` : ''}`
    : 'none';
  const channels = Object.entries(c.channels).map(([ch, f]) => [
    esc(ch),
    int(f.contacted),
    int(f.unknown),
    int(f.delivered),
    int(f.clicked),
    int(f.converted),
    fen(f.messageCostFen),
  ]);
  const skips = Object.entries(c.skipped)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => [esc(reason), int(n)]);
  const failed = Object.entries(c.failed).map(([reason, n]) => [esc(`failed: ${reason}`), int(n)]);
  return `<section class="campaign" id="c-${esc(r.campaignId)}"><h2>${esc(r.name)} <small>${esc(r.campaignId)}</small></h2>
<p class="note">Goal: ${esc(goal)} · holdout ${esc(r.holdoutPercent)}% · ${esc(usersNote(r))}${c.windowsOpen ? ' · <strong>some goal windows are still open</strong>' : ''}</p>
${barChart(`campaign-funnel-${r.campaignId}`, `Funnel of ${r.campaignId}`, funnelBars(c))}
<div class="grid">
<div><h3>Money</h3>${table(
    ['', ''],
    [
      ['messages', fen(c.messageCostFen)],
      ['incentives granted', `${int(c.grants)} · ${fen(c.incentiveGrantedFen)}`],
      ['incentives redeemed', `${int(c.redeemed)} · ${fen(c.incentiveRedeemedFen)}`],
      ['invested by converters', yuan(c.convertedAmount)],
      ['treated invested (goal)', yuan(c.treated.amount ?? 0)],
      ['holdout invested (goal)', yuan(c.holdout.amount ?? 0)],
      ['incremental invested', yuan(c.lift.incrementalAmount)],
      ...budgetRows(r),
    ],
    'kv',
  )}</div>
<div><h3>Skipped</h3>${skips.length + failed.length > 0 ? table(['reason', 'users'], [...skips, ...failed], 'numbers') : '<p>none</p>'}</div>
</div>
<h3>Channels</h3>${table(['channel', 'contacted', 'of which unknown', 'delivered', 'clicked', 'converted', 'message cost'], channels, 'numbers')}
<h3>Occurrences</h3>${table(['occurrence', 'matched', 'contacted', 'converted', 'treated goal', 'holdout goal', 'lift', 'cost / incr. conv.', 'windows'], occurrenceRows(r, tz), 'numbers')}
</section>`;
}
