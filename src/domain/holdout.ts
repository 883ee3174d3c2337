import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Share of a campaign's audience kept as a control group, in percent. */
export const HoldoutPercent = z
  .number()
  .min(0)
  .max(50, { message: 'a holdout above 50% leaves the campaign with fewer users than its control group' });

/**
 * A user's sticky position in [0, 1) for a campaign: the first 8 hex digits of
 * sha256(`campaignId:userId`) over 2^32. The same pair always lands in the same place, and
 * different campaigns split the same users independently.
 */
export function holdoutPosition(campaignId: string, userId: string): number {
  const hex = createHash('sha256').update(`${campaignId}:${userId}`).digest('hex').slice(0, 8);
  return Number.parseInt(hex, 16) / 0x1_0000_0000;
}

/** Whether the user belongs to the campaign's control group: recorded, never contacted. */
export function inHoldout(campaignId: string, userId: string, percent: number | undefined): boolean {
  return percent !== undefined && percent > 0 && holdoutPosition(campaignId, userId) < percent / 100;
}
