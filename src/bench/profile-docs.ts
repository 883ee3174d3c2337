import type { Event } from '../domain/event.js';
import { oldestRetainedDay } from '../domain/windowed-metrics.js';
import type { Lifecycle, Profile } from '../domain/profile.js';
import type { GeneratedUser } from '../demo/generator.js';
import { profileDeltas, type ProfileDelta } from '../domain/profile-delta.js';

/**
 * Stored profiles straight from the demo model, without the event log: a user's events are folded
 * with the same delta ingest computes, into the document ingest would leave behind. The largest
 * tiers are seeded this way because the test server cannot hold their raw events; the ingest
 * benchmark checks, on the users it ingests, that both ways give the same documents.
 */

export interface FoldOptions {
  /** The instant the history ends (ingest's clock). */
  now: Date;
  /** Platform time zone. */
  tz: string;
  /** Buckets kept, days (rules/scoring.json `retentionDays`). */
  retentionDays: number;
}

/**
 * The generator's events as the ingest verb sees them after parsing. The generator's output is
 * trusted here (the schema would cost more than the rest of the fold); ingest parses it for real.
 */
export function parsedEvents(user: GeneratedUser): Event[] {
  return user.events.map((e) => ({ ...e, ts: new Date(e.ts) }) as Event);
}

/** The profile document ingest leaves for `user` (its contact record, then all its events). */
export function storedProfileOf(user: GeneratedUser, opts: FoldOptions): Profile {
  const [delta] = profileDeltas(parsedEvents(user), {
    tz: opts.tz,
    oldestRetainedDay: oldestRetainedDay(opts.now, opts.retentionDays, opts.tz),
  });
  const doc: Profile = { ...contactOf(user), createdAt: opts.now, updatedAt: opts.now };
  return delta ? { ...doc, ...behaviourOf(delta) } : doc;
}

/**
 * The contact record as `updateMany` stores it: consent times become dates, and consent and
 * attributes are set key by key (so an empty object leaves no field). Trusted like the events
 * (checking every time zone name costs more than the whole fold).
 */
function contactOf(user: GeneratedUser): Profile {
  const { userId, consent, attributes, topicsAt, ...rest } = user.profile;
  const doc: Profile = { _id: userId, ...withoutUndefined(rest) };
  if (topicsAt !== undefined) doc.topicsAt = new Date(topicsAt);
  const given = Object.entries(consent ?? {}).filter(([, c]) => c !== undefined);
  if (given.length > 0) doc.consent = Object.fromEntries(given.map(([ch, c]) => [ch, { ...c, at: new Date(c.at) }]));
  if (attributes && Object.keys(attributes).length > 0) doc.attributes = attributes;
  return doc;
}

function behaviourOf(d: ProfileDelta): Partial<Profile> {
  const lifecycle: Lifecycle = { ...d.lifecycleMin, ...d.lifecycleMax, ...d.lifecycleInc };
  if (d.money) Object.assign(lifecycle, { lastMoneyAt: d.money.at, fundsRedeemed: d.money.fundsRedeemed });
  return {
    ...(d.acquisition ? { acquisitionChannel: d.acquisition.channel } : {}),
    ...(Object.keys(lifecycle).length > 0 ? { lifecycle } : {}),
    ...(Object.keys(d.lastAt).length > 0 ? { lastAt: d.lastAt } : {}),
    ...(Object.keys(d.buckets).length > 0 ? { buckets: d.buckets } : {}),
    ...(d.oldestBucket ? { oldestBucket: d.oldestBucket } : {}),
  };
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
