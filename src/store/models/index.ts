import type { Model } from 'mongoose';
import type { Db } from '../connection.js';
import { apiKeyModel } from './api-keys.js';
import { auditEntryModel } from './audit-log.js';
import { budgetModel } from './budgets.js';
import { campaignRunModel } from './campaign-runs.js';
import { campaignStatusModel } from './campaign-status.js';
import { contactCapModel } from './contact-caps.js';
import { deliveryModel } from './deliveries.js';
import { eventModel } from './events.js';
import { grantModel } from './grants.js';
import { ingestBatchModel } from './ingest-batches.js';
import { metaModel } from './meta.js';
import { profileModel } from './profiles.js';
import { eventStatsModel } from './event-stats.js';
import { sandboxInboxModel } from './sandbox-inbox.js';

/**
 * Every collection Tideflow keeps, one model each (Agenda's `jobs` is Agenda's). Hot paths
 * (events, profiles, deliveries, grants, contact caps) use the models' native collections; the
 * low-volume stores query through the models.
 */
export const MODELS: readonly ((db: Db) => Model<never>)[] = [
  eventModel,
  ingestBatchModel,
  profileModel,
  deliveryModel,
  grantModel,
  contactCapModel,
  budgetModel,
  campaignRunModel,
  campaignStatusModel,
  apiKeyModel,
  auditEntryModel,
  metaModel,
  eventStatsModel,
  sandboxInboxModel,
] as unknown as readonly ((db: Db) => Model<never>)[];

/**
 * Creates the indexes every model declares. Idempotent; called once at startup (mongoose's
 * autoIndex is off, so indexes are created here and nowhere else). The embedded server records
 * non-unique indexes without using them (docs/decisions/0001-database.md): creating them works
 * there too.
 */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const model of MODELS) await model(db).createIndexes();
}
