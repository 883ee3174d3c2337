import type { WriteConcernSettings } from 'mongodb';

/**
 * The write concern every write is acknowledged with, unless the URI names one: `w: 'majority'`
 * (on a replica set, acknowledged only once most members have it, so a failover cannot roll it
 * back) and `journal: true` (in the on-disk journal before the answer, so a crash of the server
 * loses nothing acknowledged). `wtimeoutMS` bounds the wait when no majority is reachable: the
 * write then fails as an ambiguous outcome instead of hanging a worker. The ledger relies on this
 * (docs/decisions/0002-ledger.md). The embedded server ignores it and commits every write itself.
 */
export const DURABLE_WRITES: WriteConcernSettings = { w: 'majority', journal: true, wtimeoutMS: 10_000 };

const WRITE_CONCERN_OPTIONS = ['w', 'journal', 'j', 'wtimeoutms', 'wtimeout', 'fsync'];

/** The write concern to connect with: none of ours when the URI sets any write-concern option. */
export function writeConcernFor(uri: string): WriteConcernSettings | undefined {
  const query = uri.split('?')[1] ?? '';
  const named = [...new URLSearchParams(query).keys()].map((k) => k.toLowerCase());
  return named.some((k) => WRITE_CONCERN_OPTIONS.includes(k)) ? undefined : DURABLE_WRITES;
}
