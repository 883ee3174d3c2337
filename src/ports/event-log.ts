import type { Event } from '../domain/event.js';

/** What storing a batch's events found: its own events, replays, and interrupted batches met. */
export interface StoredBatch {
  /** The batch's events now stored under its id (by this call or a concurrent recovery of it). */
  own: Event[];
  /** Events already stored by another batch. */
  duplicates: number;
  /** Other batches, still pending, that the duplicates belong to. */
  pendingBatches: string[];
}

/**
 * The raw event log (`events`, plus the journal `ingest_batches`): the source of idempotency and
 * of crash recovery. A batch is journaled whole before its events are stored, so that anyone can
 * finish it, and removed from the journal once its profile updates are written.
 */
export interface EventLog {
  /** Records the batch and its events as pending. */
  journal(batchId: string, events: readonly Event[], receivedAt: Date): Promise<void>;
  /** Stores the events under `batchId`; ids already stored are left untouched. Idempotent. */
  store(batchId: string, events: readonly Event[], receivedAt: Date): Promise<StoredBatch>;
  /** A pending batch's events and receipt time, or undefined once it is complete. */
  pending(batchId: string): Promise<{ events: Event[]; receivedAt: Date } | undefined>;
  /** Pending batches (at most `limit`), oldest first. */
  pendingBatches(limit: number): Promise<string[]>;
  /** Removes the batch from the journal: its profile updates are written. */
  complete(batchId: string): Promise<void>;
}
