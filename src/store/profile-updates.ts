import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { ProfileUpdate } from '../domain/profile.js';
import type { ProfileDelta } from '../domain/profile-delta.js';
import type { StoredProfile } from './collections.js';

/** How many recent batch ids a profile remembers; a pending batch must be recovered within as many. */
export const APPLIED_BATCHES_KEPT = 32;

type Op = AnyBulkWriteOperation<StoredProfile>;

/**
 * The one guarded upsert that applies a batch's delta to a profile. It matches only while the
 * batch is not yet in `appliedBatches`; once it is, the upsert collides on `_id` (duplicate key),
 * which the caller reads as "already applied".
 */
export function deltaUpsert(d: ProfileDelta, batchId: string, now: Date): Op {
  const inc: Record<string, number> = {};
  for (const [day, b] of Object.entries(d.buckets)) {
    for (const [t, n] of Object.entries(b.n ?? {})) inc[`buckets.${day}.n.${t}`] = n;
    for (const [c, s] of Object.entries(b.dwell ?? {})) inc[`buckets.${day}.dwell.${c}`] = s;
    if (b.dwellAll !== undefined) inc[`buckets.${day}.dwellAll`] = b.dwellAll;
    for (const [t, a] of Object.entries(b.amount ?? {})) inc[`buckets.${day}.amount.${t}`] = a;
  }
  for (const [k, v] of Object.entries(d.lifecycleInc)) inc[`lifecycle.${k}`] = v;
  const min: Record<string, Date | string> = prefixed('lifecycle', d.lifecycleMin);
  if (d.oldestBucket) min.oldestBucket = d.oldestBucket;
  const max = { ...prefixed('lifecycle', d.lifecycleMax), ...prefixed('lastAt', d.lastAt) };
  const set: Document = { updatedAt: now };
  if (d.acquisition?.fromRegister) set.acquisitionChannel = d.acquisition.channel;
  const update: Document = {
    $set: set,
    $setOnInsert: { createdAt: now },
    $push: { appliedBatches: { $each: [batchId], $slice: -APPLIED_BATCHES_KEPT } },
  };
  // Empty operator documents are rejected by older servers.
  if (Object.keys(inc).length > 0) update.$inc = inc;
  if (Object.keys(min).length > 0) update.$min = min;
  if (Object.keys(max).length > 0) update.$max = max;
  return { updateOne: { filter: { _id: d.userId, appliedBatches: { $ne: batchId } }, update, upsert: true } };
}

/**
 * Updates that depend on what is stored, not on the batch, so they are safe to repeat: the money
 * state moves only forward in event time, and a channel from a non-register event fills a gap only.
 * Run after the upserts, when every profile exists.
 */
export function conditionalUpdates(d: ProfileDelta): Op[] {
  const ops: Op[] = [];
  if (d.money) {
    const { at, fundsRedeemed } = d.money;
    ops.push({
      updateOne: {
        filter: {
          _id: d.userId,
          $or: [{ 'lifecycle.lastMoneyAt': { $exists: false } }, { 'lifecycle.lastMoneyAt': { $lt: at } }],
        },
        update: { $set: { 'lifecycle.lastMoneyAt': at, 'lifecycle.fundsRedeemed': fundsRedeemed } },
      },
    });
  }
  if (d.acquisition && !d.acquisition.fromRegister) {
    ops.push({
      updateOne: {
        filter: { _id: d.userId, acquisitionChannel: { $exists: false } },
        update: { $set: { acquisitionChannel: d.acquisition.channel } },
      },
    });
  }
  return ops;
}

/**
 * Creates or updates what clients own: given fields are set, attributes per key (other keys stay),
 * topics replaced as a whole (with their stamp; the user's opt-outs stay and outrank an older list). Behaviour fields are never touched. Consent is not set here: it is
 * ordered by time, each channel by its own conditional update (consent-updates.ts).
 */
export function profileUpsert(userId: string, u: ProfileUpdate, now: Date): Op {
  const set: Document = { updatedAt: now };
  for (const key of ['phone', 'email', 'pushToken', 'timezone', 'topics', 'topicsAt'] as const) {
    if (u[key] !== undefined) set[key] = u[key];
  }
  Object.assign(set, prefixed('attributes', u.attributes ?? {}));
  const update: Document = { $set: set, $setOnInsert: { createdAt: now } };
  // A new list without a stamp must not borrow the previous list's.
  if (u.topics !== undefined && u.topicsAt === undefined) update.$unset = { topicsAt: '' };
  return { updateOne: { filter: { _id: userId }, update, upsert: true } };
}

function prefixed<V>(prefix: string, rec: Partial<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(rec)) if (v !== undefined) out[`${prefix}.${k}`] = v;
  return out;
}
