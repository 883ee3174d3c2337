import type { Model } from 'mongoose';
import type { InboxMessage } from '../../domain/inbox.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/**
 * `sandboxInbox`: every message the sandbox channels received, with the campaign and user of its
 * delivery; read in time order by user or campaign (few, so no index beyond `_id`).
 */
export const sandboxInboxSchema = collectionSchema<InboxMessage>(
  { campaignId: String, userId: String, channel: String, receivedAt: Date },
  { idType: 'objectId' },
);

export const sandboxInboxModel = (db: Db): Model<InboxMessage> => modelOn(db, 'sandboxInbox', sandboxInboxSchema);
