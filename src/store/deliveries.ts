import type { Collection, Filter, UpdateFilter } from 'mongodb';
import type { SendRecord } from '../domain/caps.js';
import { CONTACT_STATES, sendRecordOf, type Delivery } from '../domain/delivery.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import { assertNever } from '../errors.js';
import { maskContact } from '../domain/mask.js';
import type {
  ClaimRequest,
  DeliveryFilter,
  DeliveryLedger,
  HeldSettlement,
  LedgerCounts,
  Settlement,
} from '../ports/delivery-ledger.js';
import { deliveryModel } from './models/deliveries.js';

export function deliveriesCollection(db: Db): Collection<Delivery> {
  return nativeDb(db).collection<Delivery>(deliveryModel(db).collection.collectionName);
}

/** The `deliveries` collection as the campaign verbs' DeliveryLedger. */
export function createDeliveryLedger(db: Db): DeliveryLedger {
  const c = deliveriesCollection(db);
  return {
    async existing(ids) {
      if (ids.length === 0) return new Set();
      const found = await c.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray();
      return new Set(found.map((d) => d._id));
    },
    async insert(rows) {
      const failed = await bulkWriteExpectingDuplicates(
        c,
        rows.map((document) => ({ insertOne: { document } })),
      );
      return rows.length - failed.size;
    },
    history: (userIds, since) => history(c, userIds, since),
    async reservedFen(campaignId) {
      const [row] = await c
        .aggregate<{ fen: number }>([
          {
            $match: {
              campaignId,
              state: { $in: ['planned', 'sending'] },
              budgetFen: { $gt: 0 },
              charge: { $exists: false },
            },
          },
          { $group: { _id: null, fen: { $sum: '$budgetFen' } } },
        ])
        .toArray();
      return row?.fen ?? 0;
    },
    async due(now, limit, campaignIds) {
      if (campaignIds.length === 0) return [];
      return c
        .find(
          { state: 'planned', dueAt: { $lte: now }, campaignId: { $in: [...campaignIds] } },
          { sort: { dueAt: 1 }, limit },
        )
        .toArray();
    },
    async postpone(id, dueAt, now) {
      await c.updateOne({ _id: id, state: 'planned' }, { $set: { dueAt, updatedAt: now } });
    },
    async claimMany(claims, now) {
      if (claims.length === 0) return new Set();
      await c.bulkWrite(
        claims.map((r) => {
          const [filter, update] = claimUpdate(r, now);
          return { updateOne: { filter, update } };
        }),
        { ordered: false },
      );
      // Which claims won: the lease token each one wrote is still there (a query by _id alone).
      const tokens = new Map(claims.map((r) => [r.id, r.lease.token]));
      const held = await c
        .find({ _id: { $in: [...tokens.keys()] } }, { projection: { 'lease.token': 1, state: 1 } })
        .toArray();
      return new Set(
        held.filter((d) => d.state === 'sending' && d.lease?.token === tokens.get(d._id)).map((d) => d._id),
      );
    },
    async handover(id, token, at) {
      const res = await c.updateOne(
        { _id: id, 'lease.token': token, state: 'sending' },
        { $set: { 'lease.handedOverAt': at } },
      );
      return res.modifiedCount === 1;
    },
    async settle(id, token, outcome, now, taken = {}) {
      const res = await c.updateOne(...settleUpdate({ id, token, outcome, taken }, now));
      return res.modifiedCount === 1;
    },
    async settleMany(settlements, now) {
      if (settlements.length === 0) return;
      await c.bulkWrite(
        settlements.map((s) => {
          const [filter, update] = settleUpdate(s, now);
          return { updateOne: { filter, update } };
        }),
        { ordered: false },
      );
    },
    takeOver: (id, token, newToken) =>
      c.findOneAndUpdate(
        { _id: id, 'lease.token': token, state: 'sending' },
        { $set: { 'lease.token': newToken } },
        { returnDocument: 'after' },
      ),
    async stale(now, limit) {
      return c.find({ state: 'sending', 'lease.until': { $lt: now } }, { limit }).toArray();
    },
    get: (id) => c.findOne({ _id: id }),
    async getMany(ids) {
      if (ids.length === 0) return [];
      return c.find({ _id: { $in: [...ids] } }).toArray();
    },
    async list(filter, page) {
      const query = listFilter(filter);
      const [total, items] = await Promise.all([
        c.countDocuments(query),
        c.find(query, { sort: { decidedAt: -1, _id: 1 }, skip: page.offset, limit: page.limit }).toArray(),
      ]);
      return { total, items };
    },
    counts: (campaignId, occurrence) => counts(c, campaignId, occurrence),
  };
}

/** planned → sending under the request's lease, if still planned and due (and, announcing a charge, none yet). */
function claimUpdate(r: ClaimRequest, now: Date): [Filter<Delivery>, UpdateFilter<Delivery>] {
  const announce = r.announceCharge;
  return [
    { _id: r.id, state: 'planned', dueAt: { $lte: now }, ...(announce ? { charge: { $exists: false } } : {}) },
    {
      $set: {
        state: 'sending',
        lease: r.lease,
        updatedAt: now,
        ...(announce ? { charge: 'pending' as const } : {}),
        ...(r.cost ?? {}),
      },
      $inc: { attempts: 1 },
    },
  ];
}

/** The outcome of a delivery held under the settlement's token. */
function settleUpdate(s: HeldSettlement, now: Date): [Filter<Delivery>, UpdateFilter<Delivery>] {
  const update = settlementUpdate(s.outcome, now);
  update.$set = { ...update.$set, ...(s.taken ?? {}) };
  return [{ _id: s.id, 'lease.token': s.token, state: { $in: ['sending', 'unknown'] } }, update];
}

/** A settlement's text as the ledger keeps it: masked, since it may quote a provider's error. */
function detailOf(o: { detail?: string | undefined }): { detail?: string } {
  return o.detail ? { detail: maskContact(o.detail) } : {};
}

/**
 * A settled delivery keeps its lease token while its outcome is `unknown`: the sender that held it
 * may still answer (it was slow, not dead) and its answer replaces the guess.
 */
function settlementUpdate(o: Settlement, now: Date): UpdateFilter<Delivery> {
  switch (o.state) {
    case 'sent':
      return {
        $set: { state: o.state, providerId: o.providerId, sentAt: o.sentAt, updatedAt: now },
        $unset: { lease: '', reason: '', detail: '' },
      };
    case 'planned':
      return {
        $set: { state: o.state, dueAt: o.dueAt, updatedAt: now, ...detailOf(o) },
        $unset: { lease: '' },
      };
    case 'unknown':
      return { $set: { state: o.state, reason: o.reason, updatedAt: now, ...detailOf(o) } };
    case 'failed':
    case 'skipped':
      return {
        $set: { state: o.state, reason: o.reason, updatedAt: now, ...detailOf(o) },
        $unset: { lease: '' },
      };
    default:
      return assertNever(o);
  }
}

async function history(
  c: Collection<Delivery>,
  userIds: readonly string[],
  since: Date,
): Promise<Map<string, SendRecord[]>> {
  const out = new Map<string, SendRecord[]>();
  if (userIds.length === 0) return out;
  const rows = c.find(
    { userId: { $in: [...userIds] }, sendAt: { $gte: since }, state: { $in: [...CONTACT_STATES] } },
    { projection: { userId: 1, campaignId: 1, channel: 1, sendAt: 1, sentAt: 1, priority: 1, incentive: 1 } },
  );
  for await (const d of rows) {
    const record = sendRecordOf(d);
    if (!record) continue;
    const list = out.get(d.userId);
    if (list) list.push(record);
    else out.set(d.userId, [record]);
  }
  return out;
}

function listFilter(f: DeliveryFilter): Filter<Delivery> {
  const q: Filter<Delivery> = {};
  if (f.campaignId !== undefined) q.campaignId = f.campaignId;
  if (f.occurrence !== undefined) q.occurrence = f.occurrence;
  if (f.userId !== undefined) q.userId = f.userId;
  if (f.state !== undefined) q.state = f.state;
  if (f.reason !== undefined) q.reason = f.reason as Delivery['reason'];
  return q;
}

async function counts(c: Collection<Delivery>, campaignId: string, occurrence?: string): Promise<LedgerCounts> {
  const match: Filter<Delivery> = occurrence === undefined ? { campaignId } : { campaignId, occurrence };
  const grouped = await c
    .aggregate<{
      _id: { state: Delivery['state']; reason?: string; channel?: string };
      count: number;
      messageCostFen: number;
      incentiveFen: number;
    }>([
      { $match: match },
      {
        $group: {
          _id: { state: '$state', reason: '$reason', channel: '$channel' },
          count: { $sum: 1 },
          messageCostFen: { $sum: '$messageCostFen' },
          incentiveFen: { $sum: '$incentive.costFen' },
        },
      },
    ])
    .toArray();
  return {
    rows: grouped.map((g) => ({
      state: g._id.state,
      ...(g._id.reason ? { reason: g._id.reason } : {}),
      ...(g._id.channel ? { channel: g._id.channel } : {}),
      count: g.count,
      messageCostFen: g.messageCostFen,
      incentiveFen: g.incentiveFen,
    })),
  };
}
