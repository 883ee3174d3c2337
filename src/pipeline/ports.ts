import type { Event } from '../domain/event.js';
import type { Profile, ProfileRecord, ProfileUpdate } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import type { ProfileDelta } from '../domain/profile-delta.js';

/**
 * Ports of the ingest and profile verbs. The pipeline owns them; src/store implements them.
 * Other verbs declare their ports in their own files.
 */

/** The current instant. Injected everywhere so tests can fix it. */
export type Clock = () => Date;

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

/** Profiles (`profiles`), as ingest and the profile endpoints see them. */
export interface ProfileStore {
  /**
   * Applies one batch's deltas, each at most once per (user, batch) even across crashes and
   * concurrent callers. Returns how many users were updated now versus already before.
   */
  applyDeltas(
    batchId: string,
    deltas: readonly ProfileDelta[],
    now: Date,
  ): Promise<{ updated: number; alreadyApplied: number }>;
  get(userId: string): Promise<Profile | null>;
  /** Creates or updates contact points, consent, topics and attributes; true when created. */
  update(userId: string, update: ProfileUpdate, now: Date): Promise<boolean>;
  /** `update` for many users in one round trip; returns how many were created. */
  updateMany(records: readonly ProfileRecord[], now: Date): Promise<number>;
  /** Removes day buckets before `oldestKept` from every profile; returns how many profiles changed. */
  pruneBuckets(oldestKept: string): Promise<number>;
}

/** What the ingest verb needs. */
export interface IngestPorts {
  events: EventLog;
  profiles: ProfileStore;
  clock: Clock;
  scoring: Pick<Scoring, 'retentionDays'>;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
  /**
   * Batches (`ingest`, event imports) with an event dated more than this after `clock()` are
   * refused. The API's events endpoint and `tideflow import` set it (TIDEFLOW_MAX_CLOCK_SKEW_MS);
   * unset: no limit (events the server makes itself, simulations that run ahead of the clock).
   */
  maxClockSkewMs?: number;
  /**
   * Told about events newly stored, after their profiles are updated and before the batch counts
   * as applied (so a crash in between tells it again): campaigns schedule triggered evaluations.
   */
  triggers?: (events: readonly Event[]) => Promise<void>;
}

/** What the profile verbs (read with metrics, update) need. */
export interface ProfilePorts {
  profiles: Pick<ProfileStore, 'get' | 'update' | 'updateMany'>;
  clock: Clock;
  scoring: Scoring;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
}
