import type { Model } from 'mongoose';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** One user's contacts in one period: the delivery keys in all and per channel. */
export type ContactCapDoc = {
  _id: string;
  all?: string[];
  sms?: string[];
  email?: string[];
  push?: string[];
  /** For the TTL index: a week after the period can matter. */
  expiresAt: Date;
};

/** `contactCaps`: one user's contacts in one period, `_id` `<user>~d:<day>` or `<user>~w:<monday>`. */
export const contactCapSchema = collectionSchema<ContactCapDoc>({
  all: [String],
  sms: [String],
  email: [String],
  push: [String],
  expiresAt: { type: Date, required: true },
});
// A TTL index: MongoDB removes periods that can no longer matter (the embedded server never does).
contactCapSchema.index({ expiresAt: 1 }, { name: 'expiresAt_ttl', expireAfterSeconds: 0 });

export const contactCapModel = (db: Db): Model<ContactCapDoc> => modelOn(db, 'contactCaps', contactCapSchema);
