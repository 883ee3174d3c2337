import type { Campaign } from '../domain/campaign.js';
import { ConflictError } from '../errors.js';

/**
 * A run started by hand (`tideflow run`, `POST /v1/campaigns/:id/run`) of a paused campaign is
 * refused up front: accepting it would only record every user as skipped `paused`. Scheduled and
 * triggered occurrences still record their `paused` skips, so the ledger shows what the pause held.
 */
export function assertRunnable(campaign: Campaign): void {
  if (campaign.status === 'paused')
    throw new ConflictError(
      `campaign '${campaign.id}' is paused: nothing was run (resume it first: tideflow resume ${campaign.id}, or POST /v1/campaigns/${campaign.id}/resume)`,
    );
}
