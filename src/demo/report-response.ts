import type { Campaign } from '../domain/campaign.js';
import type { EventInput } from '../domain/event.js';
import type { Grant } from '../domain/incentive.js';
import { isRandomised } from '../domain/campaign-report.js';
import { assertNever } from '../errors.js';
import { ingest, type IngestPorts } from '../ingest/ingest.js';
import { isContacted, windowStart } from '../track/conversions.js';
import { generateUser, userIndexOf, type PlatformOptions } from './generator.js';
import { Random } from './random.js';
import { respond, type Latent, type Offer } from './response.js';
import type { ConversionStore, MeasuredDelivery } from '../ports/conversion-store.js';

/**
 * How the synthetic users answered a campaign that ran in the demo: every randomised delivery of
 * the campaign goes through the response model (src/demo/response.ts) — contacted users with the
 * offer they got, holdout and unreached users with none — and each purchase it yields re-enters
 * as an ordinary `purchase` event through ingest. A user's own (organic) next purchase is one
 * event whichever campaigns touched them; ids are deterministic, so running it again adds nothing.
 */

const DAY_MS = 86_400_000;
/** A response drawn at the very start of the window is moved just inside it. */
const MIN_DELAY_MS = 60_000;

export interface ResponsePorts {
  ingest: IngestPorts;
  conversions: Pick<ConversionStore, 'page'>;
  /** The synthetic platform the demo seeded. */
  platform: Omit<PlatformOptions, 'users' | 'first'>;
}

export interface ResponseCount {
  deliveries: number;
  organic: number;
  incremental: number;
  /** When the last goal window opened (ms; 0 without deliveries): triggered evaluations may lie after the demo's now. */
  latestStart: number;
}

function incentiveValue(g: Grant): number {
  switch (g.type) {
    case 'red-packet':
      return g.amount;
    case 'trial-funds':
      return g.principal;
    case 'voucher':
      return g.value;
    default:
      return assertNever(g);
  }
}

function offerOf(d: MeasuredDelivery): Offer | undefined {
  if (!isContacted(d) || !d.channel) return undefined;
  return {
    channel: d.channel,
    ...(d.incentive ? { incentive: { type: d.incentive.type, amount: incentiveValue(d.incentive) } } : {}),
    ...(d.product ? { category: d.product.category } : {}),
  };
}

/** The purchase a delivery's user makes, if the model says they do. */
function responseEvent(
  ports: ResponsePorts,
  c: Campaign,
  d: MeasuredDelivery,
  latent: Latent,
  index: number,
): EventInput | undefined {
  const goalDays = c.goal?.withinDays ?? 7;
  const r = respond(
    latent,
    offerOf(d),
    goalDays,
    new Random(ports.platform.seed, index, `response:${c.id}:${d.occurrence}`),
  );
  if (!r.converted) return undefined;
  const at = r.organic
    ? ports.platform.now.getTime() + r.afterDays * DAY_MS
    : windowStart(d).getTime() + Math.max(MIN_DELAY_MS, r.afterDays * DAY_MS);
  return {
    id: r.organic ? `demo-organic-${d.userId}` : `demo-${c.id}-${d.occurrence}-${d.userId}`,
    userId: d.userId,
    type: 'purchase',
    ts: new Date(Math.floor(at / 1000) * 1000).toISOString(),
    amount: r.amount,
    category: r.category,
  };
}

/** Simulates the answers to one campaign and ingests the purchases. */
export async function simulateResponses(
  ports: ResponsePorts,
  c: Campaign,
  latents: Map<string, Latent>,
): Promise<ResponseCount> {
  const count: ResponseCount = { deliveries: 0, organic: 0, incremental: 0, latestStart: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await ports.conversions.page(c.id, after, 1000);
    if (page.length === 0) return count;
    after = page[page.length - 1]?._id;
    const events: EventInput[] = [];
    for (const d of page) {
      const index = userIndexOf(d.userId);
      if (index === undefined || !isRandomised(d)) continue;
      count.deliveries++;
      count.latestStart = Math.max(count.latestStart, windowStart(d).getTime());
      let latent = latents.get(d.userId);
      if (!latent) latents.set(d.userId, (latent = generateUser(ports.platform, index).latent));
      const e = responseEvent(ports, c, d, latent, index);
      if (!e) continue;
      if (e.id.startsWith('demo-organic-')) count.organic++;
      else count.incremental++;
      events.push(e);
    }
    if (events.length > 0) await ingest(ports.ingest, events);
  }
}
