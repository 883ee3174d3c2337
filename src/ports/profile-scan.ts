import type { Profile } from '../domain/profile.js';

/** Profiles streamed with a cursor, in batches, only the named fields: memory stays flat. */
export interface ProfileScan {
  scanProfiles(fields: readonly string[]): AsyncIterable<Profile>;
}
