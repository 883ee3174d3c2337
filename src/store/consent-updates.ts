import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { superseded, type StampedChoice } from '../domain/consent-order.js';
import type { ProfileUpdate } from '../domain/profile.js';
import type { StoredProfile } from './collections.js';

/**
 * The stored choice at `path` (an object with `at` and, for consent, `granted`) that `incoming`
 * supersedes (domain/consent-order.ts), as a filter: the update it guards is one atomic
 * conditional write, so a concurrent writer cannot slip an older choice past a newer one.
 */
export function supersededFilter(path: string, incoming: StampedChoice): Document {
  const s = superseded(incoming);
  return {
    $or: [
      { [path]: { $exists: false } },
      { [`${path}.at`]: { $lt: s.before } },
      ...(s.grantAt ? [{ [`${path}.at`]: s.grantAt, [`${path}.granted`]: true }] : []),
    ],
  };
}

/**
 * One conditional update per channel of `consent`: each replaces the stored consent of its channel
 * only when it is later (or, at the same instant, a withdrawal over a grant). Run after the upsert
 * that creates the profile.
 */
export function consentUpdates(
  userId: string,
  consent: ProfileUpdate['consent'],
  now: Date,
): AnyBulkWriteOperation<StoredProfile>[] {
  return Object.entries(consent ?? {}).flatMap(([channel, c]) =>
    c
      ? [
          {
            updateOne: {
              filter: { _id: userId, ...supersededFilter(`consent.${channel}`, c) },
              update: { $set: { [`consent.${channel}`]: c, updatedAt: now } },
            },
          },
        ]
      : [],
  );
}
