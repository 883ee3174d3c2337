import { FUNNEL_STEPS, QUADRANTS } from '../domain/funnel.js';
import type { CampaignReport, CampaignSection } from '../domain/campaign-report.js';
import type { EngagementReport, FunnelReport } from '../track/reports.js';
import type { BudgetBooks } from '../domain/report-budget.js';
import { decimal, fen, int, liftPoints, pct, points, yuan } from './number-format.js';
import { occurrenceLabel } from './occurrence-label.js';

/** Reports as terminal text (`tideflow report`, the demo). */

function rate(v: number, of: number): string {
  return of > 0 ? ` (${pct(v / of)})` : '';
}

/** The lines comparing one campaign with its holdout. */
export function liftLines(c: CampaignSection): string[] {
  const l = c.lift;
  const interval = l.absoluteInterval
    ? `, 95% ${points(l.absoluteInterval.low)} … ${points(l.absoluteInterval.high)}`
    : '';
  const relative = l.relative !== null ? `, ${pct(l.relative, 1, true)} relative` : '';
  const rateOf = (users: number, r: number): string => (users > 0 ? pct(r, 2) : 'nobody');
  return [
    `  treated      ${int(c.treated.converted)} of ${int(c.treated.users)} met the goal (${rateOf(c.treated.users, l.treatedRate)})`,
    `  holdout      ${int(c.holdout.converted)} of ${int(c.holdout.users)} (${rateOf(c.holdout.users, l.holdoutRate)})`,
    l.notMeasured !== null
      ? `  lift         not measured: ${l.notMeasured}`
      : `  lift         ${liftPoints(l)}${relative}${interval}`,
    l.incrementalConversions === null
      ? '  incremental  not measured'
      : `  incremental  ${decimal(l.incrementalConversions)} conversions, ${yuan(l.incrementalAmount)} invested`,
    `  cost         ${yuan(c.efficiency.cost)} (messages ${fen(c.messageCostFen)} + incentives granted ${fen(c.incentiveGrantedFen)})` +
      ` · per incremental conversion ${yuan(c.efficiency.costPerIncrementalConversion)}` +
      ` · invested per ¥ ${decimal(c.efficiency.roi)}`,
    `  cash paid    ${yuan(c.efficiency.cash)} (incentives redeemed ${fen(c.incentiveRedeemedFen)})` +
      ` · per incremental conversion ${yuan(c.efficiency.cashPerIncrementalConversion)}`,
  ];
}

function sectionLines(c: CampaignSection): string[] {
  const skipped = Object.entries(c.skipped)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');
  const channels = Object.entries(c.channels)
    .map(
      ([ch, f]) =>
        `${ch} ${int(f.contacted)}/${int(f.unknown)}/${int(f.delivered)}/${int(f.clicked)}/${int(f.converted)}`,
    )
    .join(', ');
  return [
    `  funnel       matched ${int(c.matched)} → contacted ${int(c.contacted)}${rate(c.contacted, c.matched)} → delivered ${int(c.delivered)}` +
      ` → clicked ${int(c.clicked)} → converted ${int(c.converted)}${rate(c.converted, c.contacted)}, ${yuan(c.convertedAmount)} invested`,
    `  channels     ${channels || '–'} (contacted/of which unknown/delivered/clicked/converted)`,
    `  skipped      ${skipped || '–'}${c.pending > 0 ? ` · pending ${int(c.pending)}` : ''}`,
    `  incentives   ${int(c.grants)} granted (${fen(c.incentiveGrantedFen)}), ${int(c.redeemed)} redeemed (${fen(c.incentiveRedeemedFen)})`,
    ...liftLines(c),
    ...(c.windowsOpen ? ['  note         some goal windows are still open: conversions may still come'] : []),
  ];
}

/** The budget's books: spent, and what accounts for it; what nothing does is written off. */
export function budgetLine(b: BudgetBooks): string {
  return (
    `  budget       ${fen(b.spentFen)} spent of ${fen(b.capFen)}: ${fen(b.keptFen)} on users reached or possibly reached, ` +
    `${fen(b.inFlightFen)} in flight, ${fen(b.writtenOffFen)} written off`
  );
}

/** Users counted once; with several occurrences, the funnel below sums them (a user once per occurrence). */
function usersLine(r: CampaignReport): string {
  const n = r.occurrences.length;
  const over =
    n > 1 ? ` (each once over ${int(n)} occurrences; the funnel below counts a user once per occurrence)` : '';
  return `  users        ${int(r.users.matched)} matched, ${int(r.users.contacted)} contacted${over}`;
}

/** The campaign report as text lines; occurrences are shown in `tz`. */
export function campaignText(r: CampaignReport, tz: string): string[] {
  const lines = [`${r.campaignId}  ${r.name}`, usersLine(r), ...sectionLines(r.cumulative)];
  if (r.budget) lines.push(budgetLine(r.budget));
  if (r.occurrences.length > 1) {
    lines.push('', '  per occurrence:');
    for (const o of r.occurrences) {
      lines.push(
        `    ${occurrenceLabel(o.label, tz).padEnd(34)} matched ${int(o.matched).padStart(7)}  contacted ${int(o.contacted).padStart(7)}  converted ${int(o.converted).padStart(6)}  lift ${liftPoints(o.lift)}`,
      );
    }
  }
  return lines;
}

export function funnelText(f: FunnelReport): string[] {
  const o = f.overall;
  const lines = [`platform funnel ${f.range.first} – ${f.range.last}`];
  for (const step of FUNNEL_STEPS)
    lines.push(
      `  ${step.padEnd(14)} ${int(o.counts[step]).padStart(9)}  ${o.stepRates[step] === null ? '' : pct(o.stepRates[step])}`,
    );
  lines.push(
    `  investment = ${int(o.counts.visit)} UV × ${pct(o.registerRate)} × ${pct(o.investRate)} × ${yuan(o.averageTicket)} = ${yuan(o.investment)}`,
  );
  if (f.channels) {
    lines.push('', '  channel          UV   register  invest rate  strategy');
    for (const c of f.channels) {
      lines.push(
        `  ${c.channel.padEnd(12)} ${int(c.stats.counts.visit).padStart(7)} ${int(c.stats.counts.register).padStart(9)}  ${pct(c.stats.investRate).padStart(11)}  ${c.point ? QUADRANTS[c.point.quadrant] : ''}`,
      );
    }
  }
  return lines;
}

export function engagementText(e: EngagementReport): string[] {
  return [
    `engagement ${e.range.first} – ${e.range.last}`,
    `  DAU ${int(e.dau)} · MAU ${int(e.mau)} · DAU/MAU ${pct(e.dauMau)}`,
    `  7-day retention ${pct(e.retention7.rate)} (${int(e.retention7.retained)} of ${int(e.retention7.cohort)} new users)`,
    `  push reach ${pct(e.push.reachRate)} of users · ${pct(e.pushDelivery.rate)} of ${int(e.pushDelivery.sent)} pushes delivered`,
  ];
}
