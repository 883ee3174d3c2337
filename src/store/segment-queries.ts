import type { Filter as MongoFilter } from 'mongodb';
import type { Profile } from '../domain/profile.js';
import { profilesCollection, type StoredProfile } from './collections.js';
import type { Db } from './connection.js';
import type { ProfileQuery, SegmentReader } from '../ports/segment-reader.js';

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
      // The next batch is asked for before this one is handed out, so the server prepares it while
      // the caller decides.
      let more = cursor.hasNext();
      try {
        while (await more) {
          const batch: Profile[] = cursor.readBufferedDocuments(batchSize);
          more = cursor.hasNext();
          yield batch;
        }
      } finally {
        // A caller that stops early leaves a request in flight: let it land before closing.
        await more.catch(() => false);
        await cursor.close();
      }
    },
    get(userId) {
      return profiles.findOne({ _id: userId });
    },
  };
}
