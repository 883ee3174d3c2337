import type { EffectiveLimits } from './campaign-limits.js';
import { capSlots, type CapSlot } from './caps.js';
import { skip, type Skip, type SkipReason } from './decision.js';
import type { Channel } from './profile.js';
import { nextAllowedTime } from './quiet-hours.js';
import type { Reach } from './reach.js';

/**
 * The gates of one channel that can change between planning a send and making it: consent,
 * contact point and suppression (in this order), quiet hours and the cap periods the send counts
 * in. `decide` passes the channel it chose through them at planning; the outbox passes the planned
 * channel through them again just before it claims the send. A gate added here holds at both.
 */

/** How far each channel got, in gate order; the furthest names the skip when none is usable. */
export const CHANNEL_FAILURES = [
  'no-consent',
  'unsubscribed',
  'no-contact',
  'suppressed',
] as const satisfies readonly SkipReason[];
export type ChannelFailure = (typeof CHANNEL_FAILURES)[number];

/** Why `ch` cannot reach the user, or undefined when it can. */
export function channelFailure(ch: Channel, r: Omit<Reach, 'timezone'>): ChannelFailure | undefined {
  const consent = r.consent[ch];
  if (!consent) return 'no-consent';
  if (!consent.granted) return 'unsubscribed';
  if (!r.contact[ch]) return 'no-contact';
  return r.suppressed.includes(ch) ? 'suppressed' : undefined;
}

/** A channel the user can be reached on: when (quiet hours move it), and the cap periods it counts in. */
export interface OpenChannel {
  kind: 'open';
  sendAt: Date;
  slots: CapSlot[];
}

/** The channel gates for a send on `channel` wanted at `now`. */
export function channelGate(channel: Channel, r: Reach, now: Date, limits: EffectiveLimits): OpenChannel | Skip {
  const failure = channelFailure(channel, r);
  if (failure) return skip(failure, `${channel}: ${failure}`);
  const sendAt = nextAllowedTime(now, limits.quietHours[channel], r.timezone);
  return { kind: 'open', sendAt, slots: capSlots(channel, sendAt, r.timezone, limits.perDay, limits.perWeek) };
}
