import { join } from 'node:path';
import type { Campaign, CampaignStatus } from '../domain/campaign.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { CampaignStatusStore } from '../ports/campaign-status-store.js';

/** The campaigns of the rules folder with the status in force: a pause or resume kept in the database wins over the file. */
export interface CampaignDirectory {
  list(): Promise<Campaign[]>;
  /** NotFoundError when no campaign file has this id. */
  get(id: string): Promise<Campaign>;
  /** Pauses or resumes a campaign; a draft cannot be either (ConflictError). */
  setStatus(id: string, status: 'active' | 'paused', now: Date): Promise<Campaign>;
}

function withStatus(c: Campaign, status: CampaignStatus | undefined): Campaign {
  return status === undefined || status === c.status ? c : { ...c, status };
}

/** `folder`: where the campaign files are (`<TIDEFLOW_RULES_DIR>/campaigns`), named in messages. */
export function campaignDirectory(
  files: readonly Campaign[],
  store: CampaignStatusStore,
  folder: string,
): CampaignDirectory {
  const byId = new Map(files.map((c) => [c.id, c]));
  const find = (id: string): Campaign => {
    const c = byId.get(id);
    if (!c) throw new NotFoundError(`no campaign '${id}' (no file ${join(folder, `${id}.json`)})`);
    return c;
  };
  return {
    async list() {
      const overrides = await store.overrides();
      return files.map((c) => withStatus(c, overrides.get(c.id)));
    },
    async get(id) {
      const c = find(id);
      return withStatus(c, (await store.overrides()).get(id));
    },
    async setStatus(id, status, now) {
      const c = find(id);
      if (c.status === 'draft')
        throw new ConflictError(`campaign '${id}' is a draft: make it active or paused in its file first`);
      await store.set(id, status, now);
      return withStatus(c, status);
    },
  };
}
