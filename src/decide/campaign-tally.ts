import type { BudgetRecord } from '../ports/budget-store.js';
import type { LedgerCounts } from '../ports/delivery-ledger.js';

/**
 * What a campaign did (a run, from its ledger) or would do (a simulation, from its decisions):
 * the numbers `tideflow run`, `tideflow simulate`, the API and the demo print.
 */
export interface CampaignTally {
  campaignId: string;
  occurrence?: string;
  /** Users with a decision. */
  matched: number;
  /** By channel: sent (a run) or would be sent (a simulation). */
  sent: Record<string, number>;
  /** By reason. */
  skipped: Record<string, number>;
  failed: Record<string, number>;
  unknown: Record<string, number>;
  /** Planned or in flight: waiting for quiet hours to end, or for a retry. */
  pending: number;
  /** Message cost of what was sent (or would be), fen. */
  messageCostFen: number;
  /** Face cost of the incentives sent (or that would be), fen. */
  incentiveFen: number;
  budget?: { capFen: number; spentFen: number };
}

export function emptyTally(campaignId: string, occurrence?: string): CampaignTally {
  return {
    campaignId,
    ...(occurrence ? { occurrence } : {}),
    matched: 0,
    sent: {},
    skipped: {},
    failed: {},
    unknown: {},
    pending: 0,
    messageCostFen: 0,
    incentiveFen: 0,
  };
}

export function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** The tally of a ledger's counts. Unknown outcomes count their cost: the message may have gone out. */
export function tallyLedger(
  campaignId: string,
  occurrence: string | undefined,
  counts: LedgerCounts,
  budget?: BudgetRecord | null,
): CampaignTally {
  const t = emptyTally(campaignId, occurrence);
  for (const r of counts.rows) {
    t.matched += r.count;
    if (r.state === 'sent' || r.state === 'unknown') {
      t.messageCostFen += r.messageCostFen;
      t.incentiveFen += r.incentiveFen;
    }
    if (r.state === 'sent') bump(t.sent, r.channel ?? '?', r.count);
    else if (r.state === 'skipped') bump(t.skipped, r.reason ?? '?', r.count);
    else if (r.state === 'failed') bump(t.failed, r.reason ?? '?', r.count);
    else if (r.state === 'unknown') bump(t.unknown, r.reason ?? '?', r.count);
    else t.pending += r.count;
  }
  if (budget) t.budget = { capFen: budget.capFen, spentFen: budget.spentFen };
  return t;
}

/** Fen as yuan with two decimals: `12.05`. */
export function formatFen(fen: number): string {
  return (fen / 100).toFixed(2);
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return entries.length === 0
    ? '0'
    : `${entries.reduce((n, [, v]) => n + v, 0)} (${entries.map(([k, v]) => `${k} ${v}`).join(', ')})`;
}

/** The tally as lines of text; `verb` is "sent" for a run, "would send" for a simulation. */
export function formatTally(t: CampaignTally, verb = 'sent'): string[] {
  const lines = [
    `  matched      ${t.matched}`,
    `  ${verb.padEnd(12)} ${formatCounts(t.sent)}`,
    `  skipped      ${formatCounts(t.skipped)}`,
  ];
  if (t.pending > 0) lines.push(`  pending      ${t.pending} (quiet hours or retry)`);
  if (Object.keys(t.failed).length > 0) lines.push(`  failed       ${formatCounts(t.failed)}`);
  if (Object.keys(t.unknown).length > 0) lines.push(`  unknown      ${formatCounts(t.unknown)}`);
  lines.push(
    `  cost         ${formatFen(t.messageCostFen)} yuan messages, ${formatFen(t.incentiveFen)} yuan incentives`,
  );
  if (t.budget)
    lines.push(`  budget       ${formatFen(t.budget.spentFen)} of ${formatFen(t.budget.capFen)} yuan spent`);
  return lines;
}
