import type { Event } from '../domain/event.js';
import type { EventLog } from '../pipeline/ports.js';
import { eventsCollection, type StoredEvent } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';

/** The `events` collection as the ingest verb's EventLog. */
export function createEventLog(db: Db): EventLog {
  const events = eventsCollection(db);
  return {
    async insertPending(batch, batchId, receivedAt) {
      const inserts = batch.map((e) => ({ insertOne: { document: toStored(e, batchId, receivedAt) } }));
      const failed = await bulkWriteExpectingDuplicates(events, inserts);
      return {
        inserted: batch.filter((_, i) => !failed.has(i)),
        duplicateIds: batch.filter((_, i) => failed.has(i)).map((e) => e.id),
      };
    },
    async pendingBatchesOf(ids) {
      const docs = await events.find({ _id: { $in: [...ids] }, applied: false }, { projection: { batch: 1 } }).toArray();
      return [...new Set(docs.map((d) => d.batch))];
    },
    async pendingBatches(limit) {
      const found = new Set<string>();
      // Distinct batches by walking the index past each batch found: a handful of round trips.
      let after = '';
      while (found.size < limit) {
        const doc = await events.findOne({ applied: false, batch: { $gt: after } }, { projection: { batch: 1 }, sort: { applied: 1, batch: 1 } });
        if (!doc) break;
        found.add(doc.batch);
        after = doc.batch;
      }
      return [...found];
    },
    async eventsOfBatch(batchId) {
      const docs = await events.find({ applied: false, batch: batchId }).toArray();
      return docs.map(fromStored);
    },
    async markApplied(batchId) {
      await events.updateMany({ applied: false, batch: batchId }, { $set: { applied: true } });
    },
  };
}

/** Absent optional fields stay absent (the driver would store an explicit `undefined` as null). */
function toStored(e: Event, batch: string, receivedAt: Date): StoredEvent {
  const { id, ...rest } = e;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as typeof rest;
  return { _id: id, ...defined, batch, applied: false, receivedAt };
}

function fromStored(d: StoredEvent): Event {
  const { _id, batch: _batch, applied: _applied, receivedAt: _receivedAt, ...rest } = d;
  return { id: _id, ...rest };
}
