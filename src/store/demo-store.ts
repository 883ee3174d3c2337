import type { DemoMarker, DemoStore } from '../ports/demo-store.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { ensureIndexes } from './models/index.js';
import { metaModel } from './models/meta.js';

const MARKER_ID = 'demo';

type MarkerDoc = DemoMarker & { _id: string };

/** The demo marker in `meta`, and starting a demo database over. */
export function createDemoStore(db: Db): DemoStore {
  const native = nativeDb(db);
  const META = metaModel(db).collection.collectionName;
  const meta = native.collection<MarkerDoc>(META);
  const dataCollections = async (): Promise<string[]> =>
    (await native.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => name !== META && !name.startsWith('system.'));
  return {
    async readMarker() {
      const doc = await meta.findOne({ _id: MARKER_ID });
      if (!doc) return null;
      return { seed: doc.seed, users: doc.users, days: doc.days, now: doc.now };
    },
    async isEmpty() {
      for (const name of await dataCollections()) {
        if (await native.collection(name).findOne({}, { projection: { _id: 1 } })) return false;
      }
      return true;
    },
    async reset(marker) {
      // Marked first: a run interrupted while dropping leaves a database the next run may reset.
      await meta.replaceOne({ _id: MARKER_ID }, { ...marker }, { upsert: true });
      for (const name of await dataCollections()) await native.collection(name).drop();
      await ensureIndexes(db);
    },
  };
}
