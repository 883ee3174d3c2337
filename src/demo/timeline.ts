import type { Category } from '../domain/event.js';
import { assertNever } from '../errors.js';
import { DAY_MS, drawCategory, drawProduct, type ModelClock, type Traits } from './population.js';
import { weightedTable, type Random } from './random.js';

/**
 * A user's money over time: purchases, then redemption or maturity, then (for loyal customers) a
 * new purchase after a burst of shopping. Simulated past `now` too, so the model knows whether a
 * user would buy soon without being contacted (the organic rate a holdout measures).
 */

export interface Movement {
  type: 'purchase' | 'redeem' | 'mature';
  at: number;
  amount: number;
  category: Category;
  productId: string;
}

/** A period of shopping: frequent sessions focused on one category, ending in a purchase or not. */
export interface Burst {
  from: number;
  to: number;
  /** Shopping sessions per day. */
  rate: number;
  category: Category;
  buys: boolean;
}

export interface Timeline {
  /** In time order; may run past `now`. */
  movements: Movement[];
  bursts: Burst[];
  /** The customer stopped investing here (money left or stayed parked): engagement drops. */
  leftAt?: number;
}

/** How far past `now` the future is simulated. */
const HORIZON_DAYS = 60;

export function buildTimeline(rng: Random, traits: Traits, clock: ModelClock, offsetHours: number): Timeline {
  const timeline: Timeline = { movements: [], bursts: [] };
  if (traits.firstPurchaseAt !== undefined) buyingCycles(rng, traits, clock, offsetHours, timeline);
  else windowShopping(rng, traits, clock, timeline);
  return timeline;
}

function buyingCycles(rng: Random, traits: Traits, clock: ModelClock, offsetHours: number, out: Timeline): void {
  const cardAt = traits.cardBoundAt ?? traits.registeredAt;
  let t = atLocalHour(rng, traits.firstPurchaseAt ?? cardAt, offsetHours, cardAt);
  let burstFrom = Math.max(traits.registeredAt, t - (1 + rng.exponential(5)) * DAY_MS);
  const horizon = clock.now + HORIZON_DAYS * DAY_MS;
  while (t <= horizon && (traits.quietFrom === undefined || t < traits.quietFrom)) {
    const category = drawCategory(rng, traits);
    const amount = Math.min(500_000, Math.max(1000, Math.round(rng.logNormal(traits.ticket, 0.5) / 100) * 100));
    const productId = drawProduct(rng, category);
    out.bursts.push({ from: burstFrom, to: t, rate: rng.uniform(1, 1.7), category, buys: true });
    out.movements.push({ type: 'purchase', at: t, amount, category, productId });
    const term = termDays(rng, category);
    const end = atLocalHour(rng, t + term * DAY_MS, offsetHours, t);
    const back: Movement = {
      type: category === 'bond' ? 'mature' : 'redeem',
      at: end,
      amount: Math.round(amount * (1 + (annualYield(rng, category) * term) / 365) * 100) / 100,
      category,
      productId,
    };
    if (traits.quietFrom !== undefined && end >= traits.quietFrom) {
      // Gone quiet: a bond still matures by itself; other money stays where it is.
      if (back.type === 'mature') out.movements.push(back);
      out.leftAt = traits.quietFrom;
      return;
    }
    const choice = rng.next();
    if (choice < traits.loyalty) {
      out.movements.push(back);
      burstFrom = end;
      t = atLocalHour(rng, end + (1 + rng.exponential(7)) * DAY_MS, offsetHours, end);
      continue;
    }
    out.leftAt = end;
    if (choice < traits.loyalty + (1 - traits.loyalty) * 0.7) {
      // The money comes back and goes elsewhere; the user still shops around here now and then.
      out.movements.push(back);
      shopAround(rng, traits, end, Math.min(horizon, clock.now + DAY_MS), 40, out);
    }
    return;
  }
}

/**
 * Users who never buy (yet) still shop around now and then and give up, at the latest at the
 * payment step; verified users more often than those who only registered.
 */
function windowShopping(rng: Random, traits: Traits, clock: ModelClock, out: Timeline): void {
  const verified = traits.realNameAt !== undefined && traits.realNameAt <= clock.now;
  const from = Math.max(traits.registeredAt, clock.now - clock.days * DAY_MS);
  shopAround(rng, traits, from, clock.now, (verified ? 75 : 250) / Math.sqrt(traits.quality), out);
}

/** Shopping bursts that end in no purchase, about one every `everyDays` between `from` and `to`. */
function shopAround(rng: Random, traits: Traits, from: number, to: number, everyDays: number, out: Timeline): void {
  const span = to - from;
  if (span <= 0) return;
  const bursts = rng.poisson(span / DAY_MS / everyDays);
  for (let i = 0; i < bursts; i++) {
    const start = from + rng.next() * span;
    const category = drawCategory(rng, traits);
    out.bursts.push({
      from: start,
      to: start + rng.uniform(3, 8) * DAY_MS,
      rate: rng.uniform(0.8, 1.5),
      category,
      buys: false,
    });
  }
}

/** Holding period in days: about a month on average, fixed terms for bonds. */
function termDays(rng: Random, category: Category): number {
  switch (category) {
    case 'money':
      return rng.uniform(7, 30);
    case 'bond':
      return rng.pick([30, 30, 60, 90]);
    case 'index':
    case 'stock':
    case 'mixed':
      return rng.uniform(15, 50);
    default:
      return assertNever(category);
  }
}

function annualYield(rng: Random, category: Category): number {
  switch (category) {
    case 'money':
      return 0.018;
    case 'bond':
      return 0.032;
    case 'index':
    case 'stock':
    case 'mixed':
      return 0.05 + 0.15 * rng.normal();
    default:
      return assertNever(category);
  }
}

/** Weight of each local hour (0–23) for app activity: commutes, lunch and the evening peak. */
const HOUR_WEIGHTS = weightedTable(
  [
    0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.8, 1.2, 1.5, 1.3, 1.2, 1.6, 1.4, 1.0, 1.0, 1.0, 1.1, 1.2, 1.5, 1.9, 2.2,
    1.8, 0.9,
  ].map((w, hour) => [hour, w] as const),
);

/** The start of the local day containing `t`, for a fixed UTC offset. */
export function localDayStart(t: number, offsetHours: number): number {
  const shift = offsetHours * 3_600_000;
  return Math.floor((t + shift) / DAY_MS) * DAY_MS - shift;
}

/**
 * An instant on the local day of `t`, at an hour drawn from the activity curve, in whole seconds;
 * when that falls at or before `after`, minutes after `after` instead (steps keep their order).
 */
export function atLocalHour(rng: Random, t: number, offsetHours: number, after = -Infinity): number {
  const hour = rng.weighted(HOUR_WEIGHTS);
  const at = Math.floor((localDayStart(t, offsetHours) + hour * 3_600_000 + rng.int(0, 3599) * 1000) / 1000) * 1000;
  return at > after ? at : Math.floor(after / 1000) * 1000 + rng.int(5, 120) * 60_000;
}
