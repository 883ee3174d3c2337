import type { Model } from 'mongoose';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** `event_stats`: one small document (`_id: 'newest'`) with the newest event time and the latest ingest time. */
export interface EventStatsDoc {
  _id: string;
  newestEvent: Date;
  lastIngestAt: Date;
}

export const eventStatsSchema = collectionSchema<EventStatsDoc>({ newestEvent: Date, lastIngestAt: Date });

export const eventStatsModel = (db: Db): Model<EventStatsDoc> => modelOn(db, 'event_stats', eventStatsSchema);
