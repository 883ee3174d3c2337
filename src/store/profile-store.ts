import type { AnyBulkWriteOperation } from 'mongodb';
import { profilesCollection, type StoredProfile } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import { consentUpdates } from './consent-updates.js';
import { conditionalUpdates, deltaUpsert, profileUpsert } from './profile-updates.js';
import type { ProfileStore } from '../ports/profile-store.js';
import { staleBuckets } from '../domain/windowed-metrics.js';

const PRUNE_CHUNK = 500;

/** The `profiles` collection as the ingest and profile verbs' ProfileStore. */
export function createProfileStore(db: Db): ProfileStore {
  const profiles = profilesCollection(db);
  return {
    async applyDeltas(batchId, deltas, now) {
      if (deltas.length === 0) return { updated: 0, alreadyApplied: 0 };
      const upserts = deltas.map((d) => deltaUpsert(d, batchId, now));
      const collided = await bulkWriteExpectingDuplicates(profiles, upserts);
      // A collision means "already applied", or that another writer created the profile between
      // our filter and our insert (the server does not retry upserts with this filter): a second
      // try tells them apart, since the profile exists now.
      const again = await bulkWriteExpectingDuplicates(
        profiles,
        upserts.filter((_, i) => collided.has(i)),
      );
      const conditional = deltas.flatMap(conditionalUpdates);
      if (conditional.length > 0) await profiles.bulkWrite(conditional, { ordered: false });
      return { updated: deltas.length - again.size, alreadyApplied: again.size };
    },
    async get(userId) {
      return profiles.findOne({ _id: userId });
    },
    async update(userId, update, now) {
      const res = await profiles.bulkWrite([profileUpsert(userId, update, now)]);
      const consent = consentUpdates(userId, update.consent, now);
      if (consent.length > 0) await profiles.bulkWrite(consent, { ordered: false });
      return res.upsertedCount > 0;
    },
    async updateMany(records, now) {
      if (records.length === 0) return 0;
      const res = await profiles.bulkWrite(
        records.map(({ userId, ...u }) => profileUpsert(userId, u, now)),
        { ordered: false },
      );
      // Every profile exists now. Consent per channel, each only if later than the one stored: the
      // latest wins in any order of application, so a user named twice in a batch needs no order.
      const consent = records.flatMap(({ userId, consent: c }) => consentUpdates(userId, c, now));
      if (consent.length > 0) await profiles.bulkWrite(consent, { ordered: false });
      return res.upsertedCount;
    },
    async pruneBuckets(oldestKept) {
      const cursor = profiles.find(
        { oldestBucket: { $lt: oldestKept } },
        { projection: { buckets: 1 }, batchSize: PRUNE_CHUNK },
      );
      let ops: AnyBulkWriteOperation<StoredProfile>[] = [];
      let changed = 0;
      for await (const p of cursor) {
        const { stale, oldest } = staleBuckets(p.buckets ?? {}, oldestKept);
        const unset: Record<string, ''> = Object.fromEntries(stale.map((k) => [`buckets.${k}`, '']));
        if (oldest === undefined) unset.oldestBucket = '';
        const update = oldest === undefined ? { $unset: unset } : { $unset: unset, $set: { oldestBucket: oldest } };
        ops.push({ updateOne: { filter: { _id: p._id }, update } });
        if (ops.length >= PRUNE_CHUNK) {
          changed += (await profiles.bulkWrite(ops, { ordered: false })).matchedCount;
          ops = [];
        }
      }
      if (ops.length > 0) changed += (await profiles.bulkWrite(ops, { ordered: false })).matchedCount;
      return changed;
    },
  };
}
