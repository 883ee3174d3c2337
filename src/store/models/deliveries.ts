import { Schema, type Model } from 'mongoose';
import type { Delivery } from '../../domain/delivery.js';
import type { DeliveryOutcome } from '../../domain/report-outcome.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** A delivery with what became of it (`outcome`, written only by tracking). */
export type DeliveryWithOutcome = Delivery & { outcome?: DeliveryOutcome };

/**
 * `deliveries`: the ledger, one row per (campaign, occurrence, user), `_id` its delivery key (the
 * unique `_id` index is what makes "decided once" hold). Hot path: read and written natively.
 */
export const deliverySchema = collectionSchema<DeliveryWithOutcome>({
  campaignId: { type: String, required: true },
  occurrence: { type: String, required: true },
  userId: { type: String, required: true },
  state: { type: String, required: true },
  reason: String,
  detail: String,
  decidedAt: Date,
  updatedAt: Date,
  priority: Number,
  trigger: Schema.Types.Mixed,
  channel: String,
  sendAt: Date,
  postponed: Boolean,
  dueAt: Date,
  timezone: String,
  product: Schema.Types.Mixed,
  incentive: Schema.Types.Mixed,
  messageCostFen: Number,
  budgetFen: Number,
  smsParts: Number,
  attempts: Number,
  /** The claim of the sender holding it (`token`, `until`). */
  lease: Schema.Types.Mixed,
  /** What became of it, written only by tracking. */
  outcome: Schema.Types.Mixed,
});
// The outbox, user history, campaign listings, stale claims; reports by decision time.
deliverySchema.index({ state: 1, dueAt: 1 }, { name: 'state_dueAt' });
deliverySchema.index({ userId: 1, sendAt: 1 }, { name: 'userId_sendAt' });
deliverySchema.index({ campaignId: 1, occurrence: 1, state: 1 }, { name: 'campaign_occurrence_state' });
deliverySchema.index({ state: 1, 'lease.until': 1 }, { name: 'state_leaseUntil' });
deliverySchema.index({ campaignId: 1, decidedAt: 1 }, { name: 'campaign_decidedAt' });

export const deliveryModel = (db: Db): Model<DeliveryWithOutcome> => modelOn(db, 'deliveries', deliverySchema);
