import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import type { CapSlot } from '../domain/caps.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { contactCapModel, type ContactCapDoc } from './models/contact-caps.js';

export type { ContactCapDoc } from './models/contact-caps.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import type { CapRequest, ContactCaps } from '../ports/contact-caps.js';

export function contactCapsCollection(db: Db): Collection<ContactCapDoc> {
  return nativeDb(db).collection<ContactCapDoc>(contactCapModel(db).collection.collectionName);
}

const KEEP_MS = 16 * 86_400_000;

/**
 * Frequency caps across campaigns, held atomically: a send takes a slot in each capped period of
 * the user (`<user>~d:<day>`, `<user>~w:<monday>`) by adding its delivery key to that period's
 * arrays, in one conditional update that matches only while the arrays are shorter than the caps
 * (or already hold the key: a re-run chunk takes nothing twice). Two campaigns planning the same
 * user at the same instant cannot both take the last slot.
 */
export function createContactCaps(db: Db): ContactCaps {
  const c = contactCapsCollection(db);
  return {
    async reserve(requests, now) {
      const held = new Set(requests.map((r) => r.key));
      const taken = new Map<string, CapSlot[]>();
      const rounds = Math.max(0, ...requests.map((r) => r.slots.length));
      for (let i = 0; i < rounds; i++) {
        const live = requests.filter((r) => held.has(r.key) && r.slots[i]);
        const refused = await takeSlots(
          c,
          live.map((r) => [r, r.slots[i] as CapSlot]),
          now,
        );
        live.forEach((r, j) => {
          if (refused.has(j)) held.delete(r.key);
          else taken.set(r.key, [...(taken.get(r.key) ?? []), r.slots[i] as CapSlot]);
        });
      }
      // A send refused in a later period gives back what it took in the earlier ones.
      const giveBack = requests
        .filter((r) => !held.has(r.key))
        .flatMap((r) => (taken.get(r.key) ?? []).map((s) => release(r, s)));
      if (giveBack.length > 0) await c.bulkWrite(giveBack, { ordered: false });
      return held;
    },
  };
}

/**
 * Takes one slot per request; returns the indexes refused. A refusal is a duplicate key: the
 * conditional upsert found the period's document full and tried to create it again. Two upserts
 * creating the same new document race the same way, so refusals are tried once more.
 */
async function takeSlots(
  c: Collection<ContactCapDoc>,
  wanted: [CapRequest, CapSlot][],
  now: Date,
): Promise<Set<number>> {
  const ops = wanted.map(([r, s]) => take(r, s, now));
  const first = await bulkWriteExpectingDuplicates(c, ops);
  if (first.size === 0) return first;
  const again = [...first];
  const second = await bulkWriteExpectingDuplicates(
    c,
    again.map((i) => ops[i] as AnyBulkWriteOperation<ContactCapDoc>),
  );
  return new Set(again.filter((_, j) => second.has(j)));
}

function take(r: CapRequest, s: CapSlot, now: Date): AnyBulkWriteOperation<ContactCapDoc> {
  const room = (field: string, cap: number): Filter<ContactCapDoc> => ({
    $or: [{ [field]: r.key }, { [`${field}.${cap - 1}`]: { $exists: false } }],
  });
  const conditions = [
    ...(s.total !== undefined ? [room('all', s.total)] : []),
    ...(s.channel !== undefined ? [room(r.channel, s.channel)] : []),
  ];
  return {
    updateOne: {
      filter: { _id: `${r.userId}~${s.period}`, ...(conditions.length > 0 ? { $and: conditions } : {}) },
      update: {
        $addToSet: { all: r.key, [r.channel]: r.key },
        $setOnInsert: { expiresAt: new Date(now.getTime() + KEEP_MS) },
      },
      upsert: true,
    },
  };
}

function release(r: CapRequest, s: CapSlot): AnyBulkWriteOperation<ContactCapDoc> {
  const keys: Pick<ContactCapDoc, 'all' | 'sms' | 'email' | 'push'> = { all: [r.key] };
  keys[r.channel] = [r.key];
  return { updateOne: { filter: { _id: `${r.userId}~${s.period}` }, update: { $pullAll: keys } } };
}
