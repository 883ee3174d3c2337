import type { Category } from '../domain/event.js';
import { weightedTable, type Random } from './random.js';

/**
 * The population model of the synthetic platform: who the users are, drawn once per user from
 * the seed. Numbers follow docs/demo-model.md (and DOMAIN.md where it gives them).
 */

export const DAY_MS = 86_400_000;

/** An acquisition channel: its share of registrations and how good its users are (1 = average). */
export interface AcquisitionChannel {
  name: string;
  traffic: number;
  quality: number;
}

/** One channel per traffic × quality quadrant, so the channel report has something to say. */
export const ACQUISITION_CHANNELS: readonly AcquisitionChannel[] = [
  { name: 'app_store', traffic: 0.38, quality: 1.3 }, // high traffic, high quality
  { name: 'douyin_ads', traffic: 0.32, quality: 0.45 }, // high traffic, low quality
  { name: 'referral', traffic: 0.12, quality: 2.0 }, // low traffic, high quality
  { name: 'baidu_sem', traffic: 0.18, quality: 0.75 }, // low traffic, low quality
];

/** How often each category is a user's favourite. */
export const CATEGORY_POPULARITY = weightedTable<Category>([
  ['money', 0.3],
  ['bond', 0.25],
  ['index', 0.2],
  ['mixed', 0.15],
  ['stock', 0.1],
]);

const CHANNEL_TRAFFIC = weightedTable(ACQUISITION_CHANNELS.map((c) => [c, c.traffic] as const));

/** What a user is, independent of time: drawn first, then turned into a timeline. */
export interface Traits {
  channel: string;
  quality: number;
  registeredAt: number;
  /** When each funnel step happens or would happen (it may lie after `now`); absent: never. */
  realNameAt?: number;
  cardBoundAt?: number;
  firstPurchaseAt?: number;
  /** Favourite category and the chance that a product-detail view is in it. */
  preferred?: Category;
  preferenceStrength: number;
  /** App sessions per day while engaged. */
  activity: number;
  /** Chance of reinvesting here when money comes back (otherwise it leaves or stays parked). */
  loyalty: number;
  /** Median purchase, yuan. */
  ticket: number;
  highValue: boolean;
  /** A high-value customer who went quiet at this instant (churn watch). */
  quietFrom?: number;
  /** 0..1: how much an incentive moves this user. */
  responsiveness: number;
  /** Farms incentives without real intent (羊毛党). */
  bonusHunter: boolean;
}

/** Where the model's clock stands: the end of the history and its length. */
export interface ModelClock {
  now: number;
  days: number;
}

export function drawTraits(rng: Random, clock: ModelClock): Traits {
  const channel = rng.weighted(CHANNEL_TRAFFIC);
  const q = channel.quality;
  const bonusHunter = rng.chance(0.015 + 0.03 * Math.max(0, 1 - q));
  const registeredAt = drawRegistration(rng, clock);
  const funnel = drawFunnel(rng, q, registeredAt, bonusHunter);
  const preferred = rng.chance(0.8) ? rng.weighted(CATEGORY_POPULARITY) : undefined;
  const highValue = !bonusHunter && rng.chance(0.04 + 0.04 * q);
  return {
    channel: channel.name,
    quality: q,
    registeredAt,
    ...funnel,
    ...(preferred ? { preferred } : {}),
    preferenceStrength: preferred ? rng.uniform(0.5, 0.9) : 0,
    activity: drawActivity(rng, q, funnel.firstPurchaseAt !== undefined),
    loyalty: bonusHunter ? 0.1 : Math.min(0.92, rng.uniform(0.45, 0.8) * Math.pow(q, 0.25)),
    ticket: bonusHunter ? 1000 : Math.round(rng.logNormal(highValue ? 60_000 : 8_000, 0.45) / 100) * 100,
    highValue,
    ...(highValue && rng.chance(0.15) ? { quietFrom: clock.now - rng.uniform(35, 80) * DAY_MS } : {}),
    responsiveness: bonusHunter ? 0.95 : rng.proportion(0.45),
    bonusHunter,
  };
}

/** A third registered inside the history window, the rest over the year before it. */
function drawRegistration(rng: Random, clock: ModelClock): number {
  const windowStart = clock.now - clock.days * DAY_MS;
  if (rng.chance(0.35)) return windowStart + rng.next() * clock.days * DAY_MS;
  return windowStart - rng.next() * 365 * DAY_MS;
}

type Funnel = Pick<Traits, 'realNameAt' | 'cardBoundAt' | 'firstPurchaseAt'>;

/** register → real name → bind card → first purchase: each step less likely, better channels convert more. */
function drawFunnel(rng: Random, q: number, registeredAt: number, bonusHunter: boolean): Funnel {
  const boost = Math.sqrt(q);
  const steps: [number, number][] = bonusHunter
    ? [
        [0.9, 0.5],
        [0.9, 1],
        [0.35, 2],
      ]
    : [
        [0.5 * boost, 3],
        [0.6 * boost, 10],
        [0.6 * boost, 45],
      ];
  const at: number[] = [];
  let t = registeredAt;
  for (const [p, meanDays] of steps) {
    if (!rng.chance(Math.min(0.95, p))) break;
    t += rng.exponential(meanDays) * DAY_MS + rng.uniform(0.01, 0.2) * DAY_MS;
    at.push(t);
  }
  const [realNameAt, cardBoundAt, firstPurchaseAt] = at;
  return {
    ...(realNameAt !== undefined ? { realNameAt } : {}),
    ...(cardBoundAt !== undefined ? { cardBoundAt } : {}),
    ...(firstPurchaseAt !== undefined ? { firstPurchaseAt } : {}),
  };
}

/** Sessions per day while engaged; a share of non-buyers barely use the app at all. */
function drawActivity(rng: Random, q: number, buyer: boolean): number {
  const base = rng.logNormal(0.08 * Math.pow(q, 0.3), 0.6);
  if (!buyer && rng.chance(0.35)) return base * 0.1;
  return base;
}

/** A category for one product view or purchase: mostly the favourite, otherwise by popularity. */
export function drawCategory(rng: Random, traits: Pick<Traits, 'preferred' | 'preferenceStrength'>): Category {
  if (traits.preferred && rng.chance(traits.preferenceStrength)) return traits.preferred;
  return rng.weighted(CATEGORY_POPULARITY);
}

/** Products per category: `<category>-<nn>`. */
export function drawProduct(rng: Random, category: Category): string {
  return `${category}-${String(rng.int(1, 8)).padStart(2, '0')}`;
}
