import type { Goal } from './campaign-goal.js';
import { dayKey } from './day.js';
import { SKIP_REASONS, type SkipReason } from './decision.js';
import { triggerOccurrence, type DeliveryState } from './delivery.js';
import { efficiency, lift, type Efficiency, type GroupOutcome, type Lift } from './lift.js';
import type { BudgetBooks } from './report-budget.js';

/**
 * A campaign's report, built from its ledger grouped by occurrence, state, reason and channel.
 *
 * Groups. Every matched user has a delivery. Users skipped before the holdout draw (paused,
 * draft, no longer eligible, trigger expired) were never randomised and take no part in the
 * comparison. Of the rest, the holdout was drawn at random; everyone else forms the **treated**
 * group — the users the campaign set out to contact, including those it then could not (no
 * consent, caps, budget…). Lift compares treated with holdout (intention to treat): comparing
 * only the users actually reached would credit the campaign with their being reachable.
 * `incrementalConversions` = lift × treated users estimates what the contacts added in all.
 */

/** One group of a campaign's deliveries, summed by the store. */
export interface DeliveryGroup {
  occurrence: string;
  state: DeliveryState;
  reason?: string | undefined;
  channel?: string | undefined;
  count: number;
  /** Earliest decision in the group. */
  firstDecidedAt: Date;
  /** Latest goal window end in the group (null: not measured yet, or no goal). */
  lastWindowEnd: Date | null;
  messageCostFen: number;
  /** Face cost of the incentives the deliveries carry. */
  incentiveFen: number;
  delivered: number;
  clicked: number;
  /** Deliveries credited with a conversion, and the amount of the credited events, yuan. */
  converted: number;
  convertedAmount: number;
  /** Deliveries whose user met the goal in the window, and the amount of those events, yuan. */
  goal: number;
  goalAmount: number;
  redeemed: number;
  redeemedFen: number;
}

export interface ChannelFunnel {
  /** Sent, or possibly sent. */
  contacted: number;
  /** Of those, possibly sent: the provider's answer never came (never resent). */
  unknown: number;
  delivered: number;
  clicked: number;
  converted: number;
  messageCostFen: number;
}

export interface CampaignSection {
  /** The occurrence, or `triggered YYYY-MM-DD` for the triggered evaluations of one day. */
  label: string;
  firstDecidedAt: Date;
  matched: number;
  /** Sent, or possibly sent (unknown). */
  contacted: number;
  delivered: number;
  clicked: number;
  converted: number;
  /** Amount invested in the credited goal events, yuan. */
  convertedAmount: number;
  channels: Record<string, ChannelFunnel>;
  skipped: Record<string, number>;
  failed: Record<string, number>;
  /** Planned or in flight. */
  pending: number;
  messageCostFen: number;
  /** Incentives sent: how many and their face cost; redeemed: how many and their cost. */
  grants: number;
  incentiveGrantedFen: number;
  redeemed: number;
  incentiveRedeemedFen: number;
  treated: GroupOutcome;
  holdout: GroupOutcome;
  lift: Lift;
  efficiency: Efficiency;
  /** Some goal windows were still open at `now`: conversions may still come. */
  windowsOpen: boolean;
}

/** Distinct users over a report's occurrences: a user matched (or contacted) in several counts once. */
export interface CampaignUsers {
  matched: number;
  contacted: number;
}

export interface CampaignReport {
  campaignId: string;
  name: string;
  goal?: Goal | undefined;
  holdoutPercent: number;
  /** The decision-time range the report covers, if limited. */
  range?: { from?: string | undefined; to?: string | undefined } | undefined;
  generatedAt: Date;
  /** The budget's books over all occurrences (whatever the range), when the campaign has a budget. */
  budget?: BudgetBooks;
  /** Users counted once across occurrences; `cumulative` sums the occurrences (one decision per user and occurrence). */
  users: CampaignUsers;
  /** Every occurrence summed: a user decided on in two occurrences counts twice. */
  cumulative: CampaignSection;
  occurrences: CampaignSection[];
}

const BEFORE_HOLDOUT: ReadonlySet<string> = new Set(SKIP_REASONS.slice(0, SKIP_REASONS.indexOf('holdout')));
const HOLDOUT: SkipReason = 'holdout';

/** Whether a delivery took part in the holdout draw: users skipped before it were never randomised. */
export function isRandomised(d: { state: DeliveryState; reason?: string | undefined }): boolean {
  return !(d.state === 'skipped' && BEFORE_HOLDOUT.has(d.reason ?? ''));
}
const TRIGGERED = triggerOccurrence('');

/** The section a group belongs to: its occurrence, or for triggered evaluations their day. */
export function sectionLabel(g: Pick<DeliveryGroup, 'occurrence' | 'firstDecidedAt'>, tz: string): string {
  return g.occurrence.startsWith(TRIGGERED) ? `triggered ${dayKey(g.firstDecidedAt, tz)}` : g.occurrence;
}

interface Acc {
  s: Omit<CampaignSection, 'lift' | 'efficiency' | 'windowsOpen'>;
  lastWindowEnd: number;
}

function emptyAcc(label: string, at: Date): Acc {
  return {
    lastWindowEnd: 0,
    s: {
      label,
      firstDecidedAt: at,
      matched: 0,
      contacted: 0,
      delivered: 0,
      clicked: 0,
      converted: 0,
      convertedAmount: 0,
      channels: {},
      skipped: {},
      failed: {},
      pending: 0,
      messageCostFen: 0,
      grants: 0,
      incentiveGrantedFen: 0,
      redeemed: 0,
      incentiveRedeemedFen: 0,
      treated: { users: 0, converted: 0, amount: 0 },
      holdout: { users: 0, converted: 0, amount: 0 },
    },
  };
}

const bump = (rec: Record<string, number>, key: string, by: number): void => {
  rec[key] = (rec[key] ?? 0) + by;
};

function addGroup(acc: Acc, g: DeliveryGroup, hasIncentive: boolean): void {
  const s = acc.s;
  if (g.firstDecidedAt < s.firstDecidedAt) s.firstDecidedAt = g.firstDecidedAt;
  if (g.lastWindowEnd) acc.lastWindowEnd = Math.max(acc.lastWindowEnd, g.lastWindowEnd.getTime());
  s.matched += g.count;
  const group = g.state === 'skipped' && g.reason === HOLDOUT ? s.holdout : isRandomised(g) ? s.treated : undefined;
  if (group) {
    group.users += g.count;
    group.converted += g.goal;
    group.amount = (group.amount ?? 0) + g.goalAmount;
  }
  if (g.state === 'skipped') bump(s.skipped, g.reason ?? '?', g.count);
  else if (g.state === 'failed') bump(s.failed, g.reason ?? '?', g.count);
  else if (g.state === 'planned' || g.state === 'sending') s.pending += g.count;
  if (g.state !== 'sent' && g.state !== 'unknown') return;
  s.contacted += g.count;
  s.delivered += g.delivered;
  s.clicked += g.clicked;
  s.converted += g.converted;
  s.convertedAmount += g.convertedAmount;
  s.messageCostFen += g.messageCostFen;
  if (hasIncentive) s.grants += g.count;
  s.incentiveGrantedFen += g.incentiveFen;
  s.redeemed += g.redeemed;
  s.incentiveRedeemedFen += g.redeemedFen;
  const ch = (s.channels[g.channel ?? '?'] ??= {
    contacted: 0,
    unknown: 0,
    delivered: 0,
    clicked: 0,
    converted: 0,
    messageCostFen: 0,
  });
  ch.contacted += g.count;
  if (g.state === 'unknown') ch.unknown += g.count;
  ch.delivered += g.delivered;
  ch.clicked += g.clicked;
  ch.converted += g.converted;
  ch.messageCostFen += g.messageCostFen;
}

function finish(acc: Acc, now: Date): CampaignSection {
  const l = lift(acc.s.treated, acc.s.holdout);
  const cost = (acc.s.messageCostFen + acc.s.incentiveGrantedFen) / 100;
  const cash = (acc.s.messageCostFen + acc.s.incentiveRedeemedFen) / 100;
  return { ...acc.s, lift: l, efficiency: efficiency(cost, cash, l), windowsOpen: acc.lastWindowEnd > now.getTime() };
}

export interface SectionOptions {
  now: Date;
  tz: string;
  /** The campaign offers an incentive: every contacted user was granted one. */
  hasIncentive: boolean;
}

/** Sections per occurrence (in time order) and the cumulative one, from the ledger's groups. */
export function campaignSections(
  groups: Iterable<DeliveryGroup>,
  o: SectionOptions,
): { cumulative: CampaignSection; occurrences: CampaignSection[] } {
  const total = emptyAcc('cumulative', o.now);
  const bySection = new Map<string, Acc>();
  for (const g of groups) {
    const label = sectionLabel(g, o.tz);
    let acc = bySection.get(label);
    if (!acc) bySection.set(label, (acc = emptyAcc(label, g.firstDecidedAt)));
    addGroup(acc, g, o.hasIncentive);
    addGroup(total, g, o.hasIncentive);
  }
  const occurrences = [...bySection.values()]
    .map((a) => finish(a, o.now))
    .sort((a, b) => a.firstDecidedAt.getTime() - b.firstDecidedAt.getTime() || (a.label < b.label ? -1 : 1));
  return { cumulative: finish(total, o.now), occurrences };
}
