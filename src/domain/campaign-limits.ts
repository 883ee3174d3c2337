import { z } from 'zod';
import { Caps } from './caps.js';
import { Duration, durationMs } from './duration.js';
import type { Channel } from './profile.js';
import { DEFAULT_QUIET_HOURS, QuietHours } from './quiet-hours.js';

/** Quiet hours per channel; `null` turns them off for that channel. */
export const ChannelQuietHours = z.strictObject({
  sms: QuietHours.nullable().optional(),
  email: QuietHours.nullable().optional(),
  push: QuietHours.nullable().optional(),
});

/** A campaign's `limits`; each field overrides the platform's default. */
export const Limits = z.strictObject({
  /** No second send of this campaign to a user within this time (e.g. "7d"). */
  cooldown: Duration.optional(),
  /** No grant from this campaign to a user who received any incentive, from any campaign, within this time. */
  incentiveCooldown: Duration.optional(),
  /** Messages per calendar day in the user's time zone, counted across campaigns. */
  perDay: Caps.optional(),
  /** Messages per ISO week (Monday first) in the user's time zone, counted across campaigns. */
  perWeek: Caps.optional(),
  quietHours: ChannelQuietHours.optional(),
});
export type Limits = z.infer<typeof Limits>;

/** Limits in force for one campaign: its own, over the platform's. */
export interface EffectiveLimits {
  cooldownMs?: number;
  incentiveCooldownMs?: number;
  perDay: Caps;
  perWeek: Caps;
  quietHours: Readonly<Record<Channel, QuietHours | null>>;
}

/**
 * The platform's defaults: at most 2 messages a day and 6 a week per user, of which 1 SMS a day
 * and 3 a week; quiet hours 21:00–08:00 on every channel; no cooldowns.
 */
export const DEFAULT_LIMITS: EffectiveLimits = {
  perDay: { total: 2, sms: 1 },
  perWeek: { total: 6, sms: 3 },
  quietHours: { sms: DEFAULT_QUIET_HOURS, email: DEFAULT_QUIET_HOURS, push: DEFAULT_QUIET_HOURS },
};

/** The campaign's limits over the platform's, field by field (and channel by channel). */
export function effectiveLimits(own: Limits | undefined, platform: EffectiveLimits = DEFAULT_LIMITS): EffectiveLimits {
  const cooldownMs = own?.cooldown ? durationMs(own.cooldown) : platform.cooldownMs;
  const incentiveCooldownMs = own?.incentiveCooldown ? durationMs(own.incentiveCooldown) : platform.incentiveCooldownMs;
  return {
    ...(cooldownMs !== undefined ? { cooldownMs } : {}),
    ...(incentiveCooldownMs !== undefined ? { incentiveCooldownMs } : {}),
    perDay: { ...platform.perDay, ...own?.perDay },
    perWeek: { ...platform.perWeek, ...own?.perWeek },
    quietHours: { ...platform.quietHours, ...own?.quietHours },
  };
}
