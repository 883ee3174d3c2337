import { Router } from 'express';
import { z } from 'zod';
import { DELIVERY_STATES, type Delivery } from '../domain/delivery.js';
import { Instant } from '../domain/event.js';
import { CHANNELS } from '../domain/profile.js';
import { ConfigError, ConflictError } from '../errors.js';
import type { CampaignDirectory } from '../decide/campaign-directory.js';
import { tallyLedger } from '../decide/campaign-tally.js';
import type { SimulatePorts } from '../deliver/simulate-campaign.js';
import type { Clock } from '../ports/clock.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { CampaignRunStore } from '../ports/campaign-run-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import { previewMessage } from '../deliver/preview.js';
import { simulateAssuming } from '../deliver/simulate-assumed.js';
import { assertRunnable } from '../deliver/run-guard.js';
import { idParam, parseInput, queryInt } from './input-guard.js';

/** What the campaign endpoints need; `tideflow serve` composes it from the runtime and its worker. */
export interface CampaignApi {
  campaigns: CampaignDirectory;
  simulate: SimulatePorts;
  ledger: Pick<DeliveryLedger, 'list' | 'counts'>;
  budgets: Pick<BudgetStore, 'get'>;
  runs: Pick<CampaignRunStore, 'list'>;
  clock: Clock;
  /** Queues one occurrence of the campaign now (a worker plans and sends it). */
  run(campaignId: string): Promise<{ runId: string; occurrence: string }>;
}

const Paging = {
  limit: queryInt(1, 500, 50),
  offset: queryInt(0, 1_000_000, 0),
};
export const DeliveryQuery = z.strictObject({
  ...Paging,
  /** The delivery's state (planned, sending, sent, failed, unknown, skipped). */
  status: z.enum(DELIVERY_STATES).optional(),
  reason: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional(),
  occurrence: z
    .string()
    .regex(/^[A-Za-z0-9_.:@+~-]{1,200}$/)
    .optional(),
  /** One user's rows only. */
  userId: z.string().min(1).max(128).optional(),
});
export const ProfileDeliveryQuery = z.strictObject(Paging);
export const PreviewQuery = z.strictObject({
  userId: z.string().min(1).max(128),
  channel: z.enum(CHANNELS).optional(),
  now: Instant.optional(),
});
export const SimulateBody = z
  .strictObject({
    now: Instant.optional(),
    samples: z.number().int().min(0).max(50).optional(),
  })
  .default({});
/**
 * A run takes no options: it is an occurrence now, at the server's clock. A `now` is refused (400)
 * rather than honoured, because only the audience would see it: the worker sends on the real clock.
 * A dry run at another instant is `simulate` with `now`; `tideflow run --now` moves the whole run.
 */
export const RunBody = z.strictObject({}).default({});

/** A campaign this process cannot route (none of its channels configured) is a 409, not a 500. */
function configConflict(err: unknown): never {
  throw err instanceof ConfigError ? new ConflictError(err.message) : err;
}

/** A ledger row as clients see it: `id` for `_id`, no lease internals. */
export function deliveryView(d: Delivery): Record<string, unknown> {
  const { _id, lease: _lease, ...rest } = d;
  return { id: _id, ...rest };
}

/**
 * Campaigns: list and read (with budget, recent runs and the ledger's tally), simulate (the dry
 * run), preview (one user's message exactly as sent, with every gate), run (queued for a worker: 202), pause and resume (kept in the database, overriding the
 * file), and the ledger by campaign or by user, paged and filtered.
 */
export function campaignsRouter(api: CampaignApi): Router {
  const router = Router();
  router.get('/v1/campaigns', async (_req, res) => {
    res.json({ campaigns: await api.campaigns.list() });
  });
  router.get('/v1/campaigns/:id', async (req, res) => {
    const campaign = await api.campaigns.get(idParam(req, 'id'));
    const [budget, runs, counts] = await Promise.all([
      api.budgets.get(campaign.id),
      api.runs.list(campaign.id, { limit: 10, offset: 0 }),
      api.ledger.counts(campaign.id),
    ]);
    res.json({ campaign, budget, runs, tally: tallyLedger(campaign.id, undefined, counts, budget) });
  });
  router.post('/v1/campaigns/:id/simulate', async (req, res) => {
    const id = idParam(req, 'id');
    const body = parseInput(SimulateBody, req.body ?? {}, 'simulation request');
    const opts = {
      ...(body.now ? { now: body.now } : {}),
      ...(body.samples !== undefined ? { samples: body.samples } : {}),
    };
    res.json(await simulateAssuming(api.simulate, id, opts).catch(configConflict));
  });
  router.get('/v1/campaigns/:id/preview', async (req, res) => {
    const id = idParam(req, 'id');
    const { userId, channel, now } = parseInput(PreviewQuery, req.query, 'query', 'query');
    const opts = { ...(now ? { now } : {}), ...(channel ? { channel } : {}) };
    res.json(await previewMessage(api.simulate, id, userId, opts));
  });
  router.post('/v1/campaigns/:id/run', async (req, res) => {
    const campaign = await api.campaigns.get(idParam(req, 'id'));
    parseInput(RunBody, req.body ?? {}, 'run request (a run takes no options; simulate takes now)');
    assertRunnable(campaign);
    res.status(202).json(await api.run(campaign.id));
  });
  for (const [action, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
  ] as const) {
    router.post(`/v1/campaigns/:id/${action}`, async (req, res) => {
      res.json({ campaign: await api.campaigns.setStatus(idParam(req, 'id'), status, api.clock()) });
    });
  }
  router.get('/v1/campaigns/:id/deliveries', async (req, res) => {
    const campaign = await api.campaigns.get(idParam(req, 'id'));
    const { limit, offset, status, ...filter } = parseInput(DeliveryQuery, req.query, 'query', 'query');
    const page = await api.ledger.list(
      { campaignId: campaign.id, ...filter, ...(status ? { state: status } : {}) },
      { limit, offset },
    );
    res.json({ total: page.total, limit, offset, deliveries: page.items.map(deliveryView) });
  });
  router.get('/v1/profiles/:userId/deliveries', async (req, res) => {
    const userId = idParam(req, 'userId');
    const { limit, offset } = parseInput(ProfileDeliveryQuery, req.query, 'query', 'query');
    const page = await api.ledger.list({ userId }, { limit, offset });
    res.json({ total: page.total, limit, offset, deliveries: page.items.map(deliveryView) });
  });
  return router;
}
