import type { Collection } from 'mongodb';
import type { InboxMessage, SandboxInbox } from '../domain/inbox.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { sandboxInboxModel } from './models/sandbox-inbox.js';

function inboxCollection(db: Db): Collection<InboxMessage> {
  return nativeDb(db).collection<InboxMessage>(sandboxInboxModel(db).collection.collectionName);
}

/** The `sandboxInbox` collection. */
export function createSandboxInbox(db: Db): SandboxInbox {
  const c = inboxCollection(db);
  return {
    async add(message) {
      await c.insertOne({ ...message });
    },
    async list(query) {
      const filter = {
        ...(query.userId === undefined ? {} : { userId: query.userId }),
        ...(query.campaignId === undefined ? {} : { campaignId: query.campaignId }),
      };
      const newest = await c
        .find(filter, { projection: { _id: 0 } })
        .sort({ receivedAt: -1, _id: -1 })
        .limit(query.limit ?? 200)
        .toArray();
      return newest.reverse();
    },
  };
}
