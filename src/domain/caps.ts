import { z } from 'zod';
import { addDays, dayKey } from './day.js';
import type { Channel } from './profile.js';

const Count = z.number().int().min(0).max(1000);

/** Most messages a user may receive in a period: in all, and per channel. Absent = no cap. */
export const Caps = z.strictObject({
  total: Count.optional(),
  sms: Count.optional(),
  email: Count.optional(),
  push: Count.optional(),
});
export type Caps = z.infer<typeof Caps>;

/**
 * A message already sent, being sent or planned for the user, by any campaign: the history the
 * cross-campaign gates read. The delivery being decided is never part of it.
 */
export interface SendRecord {
  campaignId: string;
  channel: Channel;
  /** When it was (or is planned to be) sent. */
  at: Date;
  /** The sending campaign's priority. @defaultValue 0 */
  priority?: number;
  /** The send carried an incentive grant. */
  incentive?: boolean;
}

/** The Monday that starts the ISO week of a day key. */
export function weekKey(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

interface Period {
  label: 'day' | 'week';
  /** Prefix of the period's slot (`d:<day>`, `w:<monday>`). */
  slot: 'd' | 'w';
  caps: Caps;
  key: (day: string) => string;
}

/** The capped periods: the calendar day and the ISO week (Monday first). */
function periods(perDay: Caps, perWeek: Caps): Period[] {
  return [
    { label: 'day', slot: 'd', caps: perDay, key: (d) => d },
    { label: 'week', slot: 'w', caps: perWeek, key: weekKey },
  ];
}

/**
 * Which cap a send on `channel` at `sendAt` would exceed, as a short text (e.g. `sms 1/day`), or
 * undefined when it fits. Days are calendar days and weeks ISO weeks (Monday first) in the user's
 * time zone `tz`; a planned send counts on the day it goes out.
 */
export function capExceeded(
  history: readonly SendRecord[],
  channel: Channel,
  sendAt: Date,
  tz: string,
  perDay: Caps,
  perWeek: Caps,
): string | undefined {
  const day = dayKey(sendAt, tz);
  for (const { label, caps, key } of periods(perDay, perWeek)) {
    const current = key(day);
    const inPeriod = history.filter((r) => key(dayKey(r.at, tz)) === current);
    const onChannel = inPeriod.filter((r) => r.channel === channel).length;
    const channelCap = caps[channel];
    if (channelCap !== undefined && onChannel >= channelCap) return `${channel} ${channelCap}/${label}`;
    if (caps.total !== undefined && inPeriod.length >= caps.total) return `total ${caps.total}/${label}`;
  }
  return undefined;
}

/** One period a send counts in (`d:<day>` or `w:<monday>` in the user's zone) and its caps. */
export interface CapSlot {
  period: string;
  /** Most messages in the period in all. */
  total?: number;
  /** Most on the send's channel. */
  channel?: number;
}

/**
 * The periods a send on `channel` at `sendAt` counts in, each with the caps that apply: the day
 * and the ISO week in the user's time zone `tz`. Periods without a cap are left out.
 */
export function capSlots(channel: Channel, sendAt: Date, tz: string, perDay: Caps, perWeek: Caps): CapSlot[] {
  const day = dayKey(sendAt, tz);
  const slots: CapSlot[] = [];
  for (const { slot: prefix, caps, key } of periods(perDay, perWeek)) {
    const slot: CapSlot = { period: `${prefix}:${key(day)}` };
    if (caps.total !== undefined) slot.total = caps.total;
    if (caps[channel] !== undefined) slot.channel = caps[channel];
    if (slot.total !== undefined || slot.channel !== undefined) slots.push(slot);
  }
  return slots;
}
