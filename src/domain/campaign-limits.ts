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
  readonly cooldownMs?: number;
  readonly incentiveCooldownMs?: number;
  readonly perDay: Readonly<Caps>;
  readonly perWeek: Readonly<Caps>;
  readonly quietHours: Readonly<Record<Channel, QuietHours | null>>;
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

/** Merged limits per platform object and campaign limits object: decide asks once per user. */
const merged = new WeakMap<EffectiveLimits, WeakMap<Limits, EffectiveLimits>>();

/**
 * The campaign's limits over the platform's, field by field (and channel by channel). The result
 * is shared between calls with the same objects: treat it as read-only.
 */
export function effectiveLimits(own: Limits | undefined, platform: EffectiveLimits = DEFAULT_LIMITS): EffectiveLimits {
  if (!own) return platform;
  let byOwn = merged.get(platform);
  if (!byOwn) merged.set(platform, (byOwn = new WeakMap()));
  let limits = byOwn.get(own);
  if (!limits) byOwn.set(own, (limits = merge(own, platform)));
  return limits;
}

function merge(own: Limits, platform: EffectiveLimits): EffectiveLimits {
  const cooldownMs = own.cooldown ? durationMs(own.cooldown) : platform.cooldownMs;
  const incentiveCooldownMs = own.incentiveCooldown ? durationMs(own.incentiveCooldown) : platform.incentiveCooldownMs;
  return {
    ...(cooldownMs !== undefined ? { cooldownMs } : {}),
    ...(incentiveCooldownMs !== undefined ? { incentiveCooldownMs } : {}),
    perDay: { ...platform.perDay, ...own.perDay },
    perWeek: { ...platform.perWeek, ...own.perWeek },
    quietHours: { ...platform.quietHours, ...own.quietHours },
  };
}
