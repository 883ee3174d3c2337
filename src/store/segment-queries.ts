import type { Filter as MongoFilter } from 'mongodb';
import type { Profile } from '../domain/profile.js';
import type { ProfileQuery, SegmentReader } from '../pipeline/evaluate-ports.js';
import { profilesCollection, type StoredProfile } from './collections.js';
import type { Db } from './connection.js';

/** The query of a segment read: the prefilter, and `_id > after` when paging. */
function queryOf(q: ProfileQuery): MongoFilter<StoredProfile> {
  const parts: object[] = [];
  if (q.filter) parts.push(q.filter);
  if (q.after !== undefined) parts.push({ _id: { $gt: q.after } });
  const query = parts.length > 1 ? { $and: parts } : (parts[0] ?? {});
  return query as MongoFilter<StoredProfile>;
}

/** The `profiles` collection as segment evaluation reads it. */
export function createSegmentReader(db: Db): SegmentReader {
  const profiles = profilesCollection(db);
  return {
    async *scan(q) {
      const batchSize = q.batchSize ?? 1000;
      const projection = Object.fromEntries((q.fields.length ? q.fields : ['_id']).map((f) => [f, 1]));
      const cursor = profiles.find(queryOf(q), { projection, batchSize });
      if (q.ordered || q.after !== undefined) cursor.sort({ _id: 1 });
      let batch: Profile[] = [];
      try {
        for await (const doc of cursor) {
          batch.push(doc);
          if (batch.length >= batchSize) { yield batch; batch = []; }
        }
        if (batch.length > 0) yield batch;
      } finally {
        await cursor.close();
      }
    },
    get(userId) {
      return profiles.findOne({ _id: userId });
    },
  };
}
