import { Id } from '../domain/event.js';
import { consentAsOf } from '../domain/consent-time.js';
import { profileMetrics, type ProfileMetrics } from '../domain/profile-metrics.js';
import { ProfileRecord, ProfileUpdate, type Profile } from '../domain/profile.js';
import { NotFoundError, ValidationError, jsonPath, type Issue } from '../errors.js';
import { parseBatch, type Locate } from './parse-events.js';
import type { Scoring } from '../domain/intent-scoring.js';
import type { Clock } from '../ports/clock.js';
import type { ProfileStore } from '../ports/profile-store.js';

/** A profile as shown to clients: `userId` instead of `_id`, buckets only on request, its metrics. */
export type ProfileView = Omit<Profile, '_id' | 'buckets'> & {
  userId: string;
  buckets?: Profile['buckets'];
  metrics: ProfileMetrics;
};

export interface ReadOptions {
  /** Evaluate metrics at this instant. @defaultValue the clock's now */
  now?: Date;
  /** Include the raw day buckets. @defaultValue false */
  buckets?: boolean;
}

/** The profile of `userId` with its metrics; NotFoundError when there is none. */
export async function readProfile(ports: ProfilePorts, userId: string, opts: ReadOptions = {}): Promise<ProfileView> {
  const stored = await ports.profiles.get(userId);
  if (!stored) throw new NotFoundError(`no profile for user '${userId}'`);
  const metrics = profileMetrics(stored, ports.scoring, { now: opts.now ?? ports.clock(), tz: ports.tz });
  // Ingest bookkeeping is not part of the profile.
  const { _id, buckets, appliedBatches: _applied, ...rest } = stored as Profile & { appliedBatches?: unknown };
  return { userId: _id, ...rest, ...(opts.buckets ? { buckets: buckets ?? {} } : {}), metrics };
}

/**
 * Creates or updates the client-owned part of a profile (contact points, consent, topics,
 * attributes) from an untrusted body; returns whether it was created.
 */
export async function updateProfile(ports: ProfilePorts, userId: string, body: unknown): Promise<{ created: boolean }> {
  const id = Id.safeParse(userId);
  const now = ports.clock();
  const update = ProfileUpdate.transform(consentAsOf(now)).safeParse(body);
  const issues: Issue[] = [
    ...(id.success ? [] : id.error.issues.map((i) => ({ path: 'userId', message: i.message }))),
    ...(update.success ? [] : update.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }))),
  ];
  if (!id.success || !update.success) throw new ValidationError('invalid profile update; nothing was changed', issues);
  return { created: await ports.profiles.update(id.data, update.data, now) };
}

/**
 * Parses profile import records (`{ userId, ...ProfileUpdate }`), rejected whole like events; with
 * `now`, consent times are held to it (see consentAsOf).
 */
export function parseProfileRecords(items: readonly unknown[], at?: Locate, now?: Date): ProfileRecord[] {
  const schema = now ? ProfileRecord.transform(consentAsOf(now)) : ProfileRecord;
  return parseBatch(schema, items, 'profile records', at);
}

/** What the profile verbs (read with metrics, update) need. */
export interface ProfilePorts {
  profiles: Pick<ProfileStore, 'get' | 'update' | 'updateMany'>;
  clock: Clock;
  scoring: Scoring;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
}
