import type { Document, Filter } from 'mongodb';
import { addDays } from '../domain/day.js';
import type { DeliveryState } from '../domain/delivery.js';
import type { DeliveryGroup } from '../domain/campaign-report.js';
import { profilesCollection } from './collections.js';
import type { Db } from './connection.js';
import { outcomesCollection, type DeliveryWithOutcome } from './outcomes.js';
import type { ReportProfile, ReportStore } from '../ports/report-store.js';
import { readBudgetBooks } from './report-budget.js';

/** Profiles are read in batches of this many. */
const BATCH = 1000;

interface GroupRow {
  _id: { o: string; s: DeliveryState; r?: string | null; c?: string | null };
  count: number;
  firstDecidedAt: Date;
  lastWindowEnd: Date | null;
  [sum: string]: unknown;
}

/** Summed per group: ledger costs and the outcome flags and amounts tracking writes. */
const SUMS = {
  messageCostFen: '$messageCostFen',
  incentiveFen: '$incentive.costFen',
  delivered: '$outcome.delivered',
  clicked: '$outcome.clicked',
  converted: '$outcome.converted',
  convertedAmount: '$outcome.convertedAmount',
  goal: '$outcome.goal',
  goalAmount: '$outcome.goalAmount',
  redeemed: '$outcome.redeemed',
  redeemedFen: '$outcome.redeemedFen',
} as const;

/**
 * The reports' reads: one `$match` + `$group` (with `$sum`, `$min`, `$max`) over a campaign's
 * deliveries, streamed; profiles through a cursor projecting only the day buckets a range needs.
 */
export function createReportStore(db: Db): ReportStore {
  const deliveries = outcomesCollection(db);
  const profiles = profilesCollection(db);
  return {
    async *campaignGroups(campaignId, decided) {
      const match = decidedMatch(campaignId, decided);
      const group: Document = {
        _id: { o: '$occurrence', s: '$state', r: '$reason', c: '$channel' },
        count: { $sum: 1 },
        firstDecidedAt: { $min: '$decidedAt' },
        lastWindowEnd: { $max: '$outcome.windowEnd' },
        ...Object.fromEntries(Object.entries(SUMS).map(([k, path]) => [k, { $sum: path }])),
      };
      for await (const row of deliveries.aggregate<GroupRow>([{ $match: match }, { $group: group }], {
        batchSize: BATCH,
      }))
        yield groupOf(row);
    },
    async campaignUsers(campaignId, decided) {
      const match = decidedMatch(campaignId, decided);
      const distinct = async (filter: Filter<DeliveryWithOutcome>): Promise<number> => {
        const [row] = await deliveries
          .aggregate<{ n: number }>([
            { $match: filter },
            { $group: { _id: '$userId' } },
            { $group: { _id: null, n: { $sum: 1 } } },
          ])
          .toArray();
        return row?.n ?? 0;
      };
      return {
        matched: await distinct(match),
        contacted: await distinct({ ...match, state: { $in: ['sent', 'unknown'] } }),
      };
    },
    async *profiles(days) {
      const projection: Record<string, 1> = { lifecycle: 1, acquisitionChannel: 1, pushToken: 1, 'consent.push': 1 };
      for (let d = days.first; d <= days.last; d = addDays(d, 1)) projection[`buckets.${d}`] = 1;
      yield* profiles.find({}, { projection, batchSize: BATCH }) as AsyncIterable<ReportProfile>;
    },
    budgetBooks: (campaignId) => readBudgetBooks(db, campaignId),
    async channelOutcomes(channel, from, to) {
      const [row] = await deliveries
        .aggregate<{ sent: number; delivered: number }>([
          { $match: { channel, state: 'sent', sentAt: { $gte: from, $lt: to } } },
          { $group: { _id: null, sent: { $sum: 1 }, delivered: { $sum: '$outcome.delivered' } } },
        ])
        .toArray();
      return { sent: row?.sent ?? 0, delivered: row?.delivered ?? 0 };
    },
  };
}

/** A campaign's deliveries, decided in [from, to) when given. */
function decidedMatch(campaignId: string, decided?: { from?: Date; to?: Date }): Filter<DeliveryWithOutcome> {
  const match: Filter<DeliveryWithOutcome> = { campaignId };
  if (decided?.from || decided?.to)
    match.decidedAt = {
      ...(decided.from ? { $gte: decided.from } : {}),
      ...(decided.to ? { $lt: decided.to } : {}),
    };
  return match;
}

function groupOf(row: GroupRow): DeliveryGroup {
  const n = (k: keyof typeof SUMS): number => (typeof row[k] === 'number' ? row[k] : 0);
  return {
    occurrence: row._id.o,
    state: row._id.s,
    reason: row._id.r ?? undefined,
    channel: row._id.c ?? undefined,
    count: row.count,
    firstDecidedAt: row.firstDecidedAt,
    lastWindowEnd: row.lastWindowEnd ?? null,
    messageCostFen: n('messageCostFen'),
    incentiveFen: n('incentiveFen'),
    delivered: n('delivered'),
    clicked: n('clicked'),
    converted: n('converted'),
    convertedAmount: n('convertedAmount'),
    goal: n('goal'),
    goalAmount: n('goalAmount'),
    redeemed: n('redeemed'),
    redeemedFen: n('redeemedFen'),
  };
}
