import type { Collection } from 'mongodb';
import { isDelivered } from '../domain/report-outcome.js';
import { nativeDb, profilesCollection } from './collections.js';
import type { Db } from './connection.js';
import type { OutcomeStore } from '../ports/outcome-store.js';
import { supersededFilter } from './consent-updates.js';
import { deliveryModel, type DeliveryWithOutcome } from './models/deliveries.js';

export type { DeliveryWithOutcome } from './models/deliveries.js';

export function outcomesCollection(db: Db): Collection<DeliveryWithOutcome> {
  return nativeDb(db).collection<DeliveryWithOutcome>(deliveryModel(db).collection.collectionName);
}

/** Outcome marks on `deliveries` and the profile lookups tracking needs. */
export function createOutcomeStore(db: Db): OutcomeStore {
  const deliveries = outcomesCollection(db);
  const profiles = profilesCollection(db);
  return {
    delivery: (id) =>
      deliveries.findOne(
        { _id: id },
        { projection: { _id: 1, campaignId: 1, userId: 1, state: 1, channel: 1, providerId: 1 } },
      ),
    async advanceStatus(id, status, rank, at) {
      await deliveries.updateOne(
        { _id: id, $or: [{ 'outcome.statusRank': { $exists: false } }, { 'outcome.statusRank': { $lt: rank } }] },
        {
          $set: {
            'outcome.status': status,
            'outcome.statusRank': rank,
            'outcome.statusAt': at,
            ...(isDelivered(status) ? { 'outcome.delivered': 1 } : {}),
          },
        },
      );
      const d = await deliveries.findOne({ _id: id }, { projection: { 'outcome.status': 1 } });
      return d?.outcome?.status;
    },
    async confirmSent(id, at, providerId) {
      const res = await deliveries.updateOne(
        { _id: id, state: 'unknown' },
        {
          $set: {
            state: 'sent',
            updatedAt: at,
            detail: 'the provider reported it delivered',
            ...(providerId ? { providerId } : {}),
          },
          $min: { sentAt: at },
          $unset: { lease: '', reason: '' },
        },
      );
      return res.modifiedCount === 1;
    },
    async suppress(userId, channel, s) {
      const res = await profiles.updateOne(
        {
          _id: userId,
          [`suppressions.${channel}.to`]: { $ne: s.to },
          // A report about another address made before the stored entry does not replace it.
          ...supersededFilter(`suppressions.${channel}`, { granted: false, at: s.at }),
        },
        { $set: { [`suppressions.${channel}`]: s, updatedAt: s.at } },
      );
      return res.modifiedCount === 1;
    },
    async recordClick(id, at) {
      await deliveries.updateOne(
        { _id: id },
        { $min: { 'outcome.clickedAt': at }, $inc: { 'outcome.clicks': 1 }, $set: { 'outcome.clicked': 1 } },
      );
    },
    async recordUnsubscribe(id, at) {
      await deliveries.updateOne({ _id: id }, { $min: { 'outcome.unsubscribedAt': at } });
    },
    async usersByPhone(phone) {
      const found = await profiles.find({ phone }, { projection: { _id: 1 } }).toArray();
      return found.map((p) => p._id);
    },
    async removeTopic(userId, topic, at) {
      const res = await profiles.updateOne(
        { _id: userId, topics: topic },
        { $pull: { topics: topic }, $set: { updatedAt: at } },
      );
      // Kept with its time, so that a later re-sync of an older topic list cannot bring it back.
      const path = `topicOptOuts.${topic}`;
      await profiles.updateOne(
        { _id: userId, ...supersededFilter(path, { granted: false, at }) },
        { $set: { [path]: { at, source: 'push-topic' } } },
      );
      return res.modifiedCount === 1;
    },
  };
}
