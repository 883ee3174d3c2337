import type { Category } from '../domain/event.js';
import { DAY_MS, drawCategory, drawProduct, type ModelClock, type Traits } from './population.js';
import type { Random } from './random.js';
import { atLocalHour, localDayStart, type Burst, type Timeline } from './timeline.js';

/**
 * A user's app sessions inside the history window: everyday browsing whose rate follows the
 * lifecycle (new users explore, customers go quiet after buying and fade after leaving), plus the
 * shopping bursts of the timeline, where detail views concentrate on one category.
 */

/** An event before it gets its id and ISO time. */
export interface Draft {
  type: string;
  at: number;
  category?: Category;
  productId?: string;
  durationSec?: number;
  amount?: number;
  channel?: string;
}

export function browse(
  rng: Random,
  traits: Traits,
  timeline: Timeline,
  clock: ModelClock,
  offsetHours: number,
): Draft[] {
  const out: Draft[] = [];
  const windowStart = clock.now - clock.days * DAY_MS;
  const firstDay = localDayStart(Math.max(windowStart, traits.registeredAt), offsetHours);
  for (let day = firstDay; day <= clock.now; day += DAY_MS) {
    const noon = day + DAY_MS / 2;
    const everyday = rng.poisson(traits.activity * engagement(traits, timeline, noon) + exploration(traits, noon));
    for (let i = 0; i < everyday; i++) {
      const at = atLocalHour(rng, noon, offsetHours);
      if (at >= windowStart && at >= traits.registeredAt && at <= clock.now) session(rng, traits, at, undefined, out);
    }
    for (const burst of timeline.bursts) {
      if (noon < burst.from || noon >= burst.to + DAY_MS / 2) continue;
      const shopping = rng.poisson(burst.rate);
      for (let i = 0; i < shopping; i++) {
        const at = atLocalHour(rng, noon, offsetHours);
        if (at >= windowStart && at >= burst.from && at <= Math.min(burst.to, clock.now))
          session(rng, traits, at, burst, out);
      }
    }
  }
  return out;
}

/** How engaged the user is on a day, as a multiple of their everyday activity. */
function engagement(traits: Traits, timeline: Timeline, t: number): number {
  if (traits.quietFrom !== undefined && t >= traits.quietFrom) return 0;
  if (timeline.leftAt !== undefined && t >= timeline.leftAt) return 0.15;
  if (traits.firstPurchaseAt !== undefined && t >= traits.firstPurchaseAt) {
    const lastBuy = lastPurchaseBefore(timeline, t);
    return lastBuy !== undefined && t - lastBuy < 10 * DAY_MS ? 0.3 : 1;
  }
  return 0.15 + 0.85 * Math.exp(-(t - traits.registeredAt) / (40 * DAY_MS));
}

/** New users look around in their first days. */
function exploration(traits: Traits, t: number): number {
  const age = t - traits.registeredAt;
  return age >= -DAY_MS / 2 && age < 7 * DAY_MS ? 0.6 * Math.exp(-Math.max(0, age) / (3 * DAY_MS)) : 0;
}

function lastPurchaseBefore(timeline: Timeline, t: number): number | undefined {
  let last: number | undefined;
  for (const m of timeline.movements) {
    if (m.at > t) break;
    if (m.type === 'purchase') last = m.at;
  }
  return last;
}

/** One app session from `at`: an everyday look around, or (in a burst) shopping for one category. */
function session(rng: Random, traits: Traits, at: number, burst: Burst | undefined, out: Draft[]): void {
  let t = at;
  const step = (seconds: number): number => (t += Math.round(seconds) * 1000);
  out.push({ type: 'app_open', at: t });
  const lists = burst ? 1 + rng.poisson(0.3) : rng.poisson(0.6);
  for (let i = 0; i < lists; i++) out.push({ type: 'view_product_list', at: step(rng.uniform(3, 30)) });
  const details = burst ? 1 + rng.poisson(1.5) : rng.poisson(0.5);
  let last: Draft | undefined;
  for (let i = 0; i < details; i++) {
    const category = burst && rng.chance(0.75) ? burst.category : drawCategory(rng, traits);
    last = detailView(rng, category, step(rng.uniform(3, 20)));
    out.push(last);
    step(last.durationSec ?? 0);
  }
  if (!last || !rng.chance(burst ? 0.6 : 0.03)) return;
  out.push({ type: 'click_invest', at: step(rng.uniform(5, 40)), category: last.category, productId: last.productId });
  // Abandoned at the payment step: the strongest intent signal that did not end in a purchase.
  if (rng.chance(burst && !burst.buys ? 0.12 : 0.04))
    out.push({
      type: 'click_submit',
      at: step(rng.uniform(10, 60)),
      category: last.category,
      productId: last.productId,
    });
}

export function detailView(rng: Random, category: Category, at: number): Draft {
  const dwell = Math.min(900, Math.max(3, Math.round(rng.logNormal(45, 0.7))));
  return { type: 'view_product_detail', at, category, productId: drawProduct(rng, category), durationSec: dwell };
}
