import type { Event } from '../domain/event.js';
import { batchJournal, eventsCollection, type StoredEvent } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import type { EventLog } from '../ports/event-log.js';
import { markNewestEvent } from './newest-event.js';

/**
 * `events` and the batch journal `ingest_batches` as the ingest verb's EventLog. Every query of a
 * batch's path is by `_id`, so it stays cheap on any server however large the log grows.
 */
export function createEventLog(db: Db): EventLog {
  const events = eventsCollection(db);
  const journal = batchJournal(db);
  return {
    async journal(batchId, batch, receivedAt) {
      await journal.insertOne({ _id: batchId, events: JSON.stringify(batch), receivedAt });
    },
    async store(batchId, batch, receivedAt) {
      const inserts = batch.map((e) => ({ insertOne: { document: toStored(e, batchId, receivedAt) } }));
      const failed = await bulkWriteExpectingDuplicates(events, inserts);
      await markNewestEvent(db, batch, receivedAt);
      if (failed.size === 0) return { own: [...batch], duplicates: 0, pendingBatches: [] };
      const dupIds = batch.filter((_, i) => failed.has(i)).map((e) => e.id);
      const owners = new Map<string, string>();
      for (const d of await events.find({ _id: { $in: dupIds } }, { projection: { batch: 1 } }).toArray())
        owners.set(d._id, d.batch);
      // A duplicate stored under this very batch was stored by a concurrent recovery of it.
      const own = batch.filter((e, i) => !failed.has(i) || owners.get(e.id) === batchId);
      const others = [...new Set(owners.values())].filter((b) => b !== batchId);
      const pending =
        others.length === 0 ? [] : await journal.find({ _id: { $in: others } }, { projection: { _id: 1 } }).toArray();
      return { own, duplicates: batch.length - own.length, pendingBatches: pending.map((p) => p._id) };
    },
    async pending(batchId) {
      const doc = await journal.findOne({ _id: batchId });
      return doc ? { events: journaledEvents(doc.events), receivedAt: doc.receivedAt } : undefined;
    },
    async pendingBatches(limit) {
      const docs = await journal.find({}, { projection: { _id: 1 }, sort: { receivedAt: 1 }, limit }).toArray();
      return docs.map((d) => d._id);
    },
    async complete(batchId) {
      await journal.deleteOne({ _id: batchId });
    },
  };
}

/** Absent optional fields stay absent (the driver would store an explicit `undefined` as null). */
function toStored(e: Event, batch: string, receivedAt: Date): StoredEvent {
  const { id, ...rest } = e;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as typeof rest;
  return { _id: id, ...defined, batch, receivedAt };
}

/** The events of a journal entry: validated before they were journaled, so only `ts` needs reviving. */
function journaledEvents(events: string | StoredEvent[]): Event[] {
  if (typeof events !== 'string') return events.map(fromStored);
  return (JSON.parse(events) as (Omit<Event, 'ts'> & { ts: string })[]).map((e) => ({ ...e, ts: new Date(e.ts) }));
}

function fromStored(d: StoredEvent): Event {
  const { _id, batch: _batch, receivedAt: _receivedAt, ...rest } = d;
  return { id: _id, ...rest };
}
