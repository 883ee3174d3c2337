import type { CapSlot } from '../domain/caps.js';
import type { Channel } from '../domain/profile.js';

/** One planned send asking for its slots under the users' frequency caps. */
export interface CapRequest {
  /** The delivery key: taking the same slot twice with it takes it once. */
  key: string;
  userId: string;
  channel: Channel;
  slots: CapSlot[];
}

/** Frequency caps across campaigns, held atomically (the ledger's history alone races). */
export interface ContactCaps {
  /** Takes every slot of each request or none; returns the keys that got theirs. */
  reserve(requests: readonly CapRequest[], now: Date): Promise<Set<string>>;
}
