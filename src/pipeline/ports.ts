import type { Event } from '../domain/event.js';
import type { Profile, ProfileRecord, ProfileUpdate } from '../domain/profile.js';
import type { Scoring } from '../domain/scoring.js';
import type { ProfileDelta } from './ingest-delta.js';

/**
 * Ports of the ingest and profile verbs. The pipeline owns them; src/store implements them.
 * Other verbs declare their ports in their own files.
 */

/** The current instant. Injected everywhere so tests can fix it. */
export type Clock = () => Date;

/** The raw event log (`events`): the source of idempotency and of crash recovery. */
export interface EventLog {
  /**
   * Stores events tagged with `batchId` as not yet applied. Events whose id is already stored are
   * left untouched and returned as duplicates (including repeats within `events`).
   */
  insertPending(events: readonly Event[], batchId: string, receivedAt: Date): Promise<{ inserted: Event[]; duplicateIds: string[] }>;
  /** Batches that hold any of `ids` and are not yet applied. */
  pendingBatchesOf(ids: readonly string[]): Promise<string[]>;
  /** Batches not yet applied (at most `limit`). */
  pendingBatches(limit: number): Promise<string[]>;
  /** The stored events of a batch. */
  eventsOfBatch(batchId: string): Promise<Event[]>;
  markApplied(batchId: string): Promise<void>;
}

/** Profiles (`profiles`), as ingest and the profile endpoints see them. */
export interface ProfileStore {
  /**
   * Applies one batch's deltas, each at most once per (user, batch) even across crashes and
   * concurrent callers. Returns how many users were updated now versus already before.
   */
  applyDeltas(batchId: string, deltas: readonly ProfileDelta[], now: Date): Promise<{ updated: number; alreadyApplied: number }>;
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
