import type { Model } from 'mongoose';
import type { Event } from '../../domain/event.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** An event as stored in `events`: `_id` is the client's event id. */
export type StoredEvent = Omit<Event, 'id'> & {
  _id: string;
  /** The ingest batch that stored it. */
  batch: string;
  receivedAt: Date;
};

/** `events`: the event log; `_id` is the client's event id. Hot path: read and written natively. */
export const eventSchema = collectionSchema<StoredEvent>({
  userId: { type: String, required: true },
  type: { type: String, required: true },
  ts: { type: Date, required: true },
  batch: String,
  receivedAt: Date,
});
eventSchema.index({ userId: 1, ts: 1 }, { name: 'userId_ts' });

export const eventModel = (db: Db): Model<StoredEvent> => modelOn(db, 'events', eventSchema);
