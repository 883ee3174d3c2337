import { CHANNELS, contactPoint, suppressedChannels, type Channel, type Profile } from './profile.js';

/** What the channel gates (channel-gate.ts) read of a user: zone, consent, contact points, suppressions. */
export interface Reach {
  /** The user's time zone, else the platform's. */
  timezone: string;
  consent: NonNullable<Profile['consent']>;
  contact: Partial<Record<Channel, string>>;
  /** Channels this user must not be reached on (hard bounces, complaints, a do-not-contact list). */
  suppressed: readonly Channel[];
}

/** The channel gates' view of a profile; `timezone` when the profile has none. */
export function reachOf(p: Profile, timezone: string): Reach {
  return {
    timezone: p.timezone ?? timezone,
    consent: p.consent ?? {},
    contact: Object.fromEntries(
      CHANNELS.flatMap((ch) => {
        const to = contactPoint(p, ch);
        return to ? [[ch, to]] : [];
      }),
    ),
    suppressed: suppressedChannels(p),
  };
}
