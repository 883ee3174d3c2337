import type { Campaign } from '../domain/campaign.js';
import { effectiveLimits } from '../domain/campaign-limits.js';
import { capSlots, type CapSlot } from '../domain/caps.js';
import { channelGate } from '../domain/channel-gate.js';
import type { Delivery } from '../domain/delivery.js';
import type { Policy } from '../domain/gates.js';
import type { Profile } from '../domain/profile.js';
import { reachOf } from '../domain/reach.js';
import type { CapRequest } from '../ports/contact-caps.js';
import type { Settlement } from '../ports/delivery-ledger.js';

/** What the send-time check found: send (taking the cap slots it does not hold yet), wait, or stop. */
export type SendTimeCheck =
  | { kind: 'go'; profile: Profile; slots: CapSlot[] }
  | { kind: 'later'; until: Date }
  | { kind: 'stop'; settlement: Settlement };

/**
 * A planned send checked again just before it is claimed, by the channel gates planning used
 * (domain/channel-gate.ts) over the profile as it is now: consent, contact point and suppression
 * (a skip with the gate's reason), quiet hours (wait for their end), and the cap periods of the
 * day it goes out. Planning held the slots of the day it planned; a send that goes out another
 * day (held overnight by quiet hours, retried past midnight) must take that day's slots first.
 */
export function checkAtSendTime(
  c: Campaign,
  d: Delivery,
  profile: Profile | undefined,
  now: Date,
  policy: Policy,
): SendTimeCheck {
  if (!profile || !d.channel)
    return { kind: 'stop', settlement: { state: 'skipped', reason: 'no-consent', detail: 'no profile at send time' } };
  const limits = effectiveLimits(c.limits, policy.limits);
  const plannedTz = d.timezone ?? 'UTC';
  const gate = channelGate(d.channel, reachOf(profile, plannedTz), now, limits);
  if (gate.kind === 'skip') {
    const detail = `${gate.detail ?? gate.reason}, checked again at send time`;
    return { kind: 'stop', settlement: { state: 'skipped', reason: gate.reason, detail } };
  }
  if (gate.sendAt.getTime() > now.getTime()) return { kind: 'later', until: gate.sendAt };
  const held = capSlots(d.channel, d.sendAt ?? now, plannedTz, limits.perDay, limits.perWeek);
  return { kind: 'go', profile, slots: gate.slots.filter((s) => !held.some((h) => h.period === s.period)) };
}

/** The cap requests of sends that go out in periods planning did not hold slots in. */
export function capRequests(items: readonly { d: Delivery; check: SendTimeCheck }[]): CapRequest[] {
  return items.flatMap(({ d, check }) =>
    check.kind === 'go' && check.slots.length > 0 && d.channel
      ? [{ key: d._id, userId: d.userId, channel: d.channel, slots: check.slots }]
      : [],
  );
}
