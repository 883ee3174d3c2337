import type { EventInput } from '../domain/event.js';
import { DEFAULT_SCORING, weightsInHundredths } from '../domain/intent-scoring.js';
import { browse, detailView, type Draft } from './browsing.js';
import { drawContact, type ProfileRecordInput } from './contact.js';
import { DAY_MS, drawTraits, type ModelClock, type Traits } from './population.js';
import { Random } from './random.js';
import type { Latent, Stage } from './response.js';
import { buildTimeline, type Movement, type Timeline } from './timeline.js';

/**
 * The synthetic platform, user by user: a pure function of (seed, user index, now, days). Users
 * are independent, so any slice can be generated alone and the population is never in memory.
 */

export interface PlatformOptions {
  /** @defaultValue 42 */
  seed: number;
  /** @defaultValue 10000 */
  users: number;
  /** End of the history. */
  now: Date;
  /** Length of the history window, days: browsing is generated inside it. @defaultValue 90 */
  days: number;
  /** Index of the first user, to generate a slice. @defaultValue 0 */
  first?: number;
}

/**
 * The demo's defaults. Its history ends when the demo is run (so new segments see recent
 * activity on any day); `--now` fixes that instant, and the same seed and `--now` print the same
 * numbers (the README's use `--now 2026-11-20T10:00:00+08:00`).
 */
export const PLATFORM_DEFAULTS = {
  seed: 42,
  users: 10_000,
  days: 90,
} as const;

export interface GeneratedUser {
  index: number;
  userId: string;
  profile: ProfileRecordInput;
  /** In time order, ids `e-<userId>-<n>`. */
  events: EventInput[];
  latent: Latent;
}

export function userIdOf(index: number): string {
  return `u${String(index).padStart(7, '0')}`;
}

/** The index behind a generated user id; undefined for other ids. */
export function userIndexOf(userId: string): number | undefined {
  return /^u\d{7,}$/.test(userId) ? Number(userId.slice(1)) : undefined;
}

export function* generatePlatform(opts: PlatformOptions): Generator<GeneratedUser> {
  const first = opts.first ?? 0;
  for (let i = first; i < first + opts.users; i++) yield generateUser(opts, i);
}

export function generateUser(opts: Omit<PlatformOptions, 'users' | 'first'>, index: number): GeneratedUser {
  const clock: ModelClock = { now: opts.now.getTime(), days: opts.days };
  const userId = userIdOf(index);
  const traits = drawTraits(new Random(opts.seed, index, 'traits'), clock);
  const contact = drawContact(new Random(opts.seed, index, 'contact'), traits, userId, index, clock);
  const timeline = buildTimeline(new Random(opts.seed, index, 'money'), traits, clock, contact.offsetHours);
  const rng = new Random(opts.seed, index, 'browse');
  const drafts = [
    ...milestones(traits, clock),
    ...moneyEvents(rng, timeline, clock),
    ...browse(rng, traits, timeline, clock, contact.offsetHours),
  ].sort((a, b) => a.at - b.at);
  return {
    index,
    userId,
    profile: contact.record,
    events: toEvents(userId, drafts),
    latent: latentOf(userId, traits, timeline, drafts, contact.reachable, clock),
  };
}

/** The funnel steps that happened by `now` (also before the window: lifecycle needs them). */
function milestones(traits: Traits, clock: ModelClock): Draft[] {
  const steps: [string, number | undefined][] = [
    ['register', traits.registeredAt],
    ['real_name_verified', traits.realNameAt],
    ['bank_card_bound', traits.cardBoundAt],
  ];
  const out: Draft[] = [];
  for (const [type, at] of steps) {
    if (at === undefined || at > clock.now) continue;
    const t = Math.floor(at / 1000) * 1000;
    out.push(type === 'register' ? { type, at: t, channel: traits.channel } : { type, at: t });
  }
  return out;
}

/**
 * Money movements up to `now`. Inside the window a purchase ends a short session
 * (open, list, the product's page, invest, submit, pay); before it only the movement is kept.
 */
function moneyEvents(rng: Random, timeline: Timeline, clock: ModelClock): Draft[] {
  const windowStart = clock.now - clock.days * DAY_MS;
  const out: Draft[] = [];
  for (const m of timeline.movements) {
    if (m.at > clock.now) break;
    if (m.type === 'purchase' && m.at - 600_000 >= windowStart) out.push(...checkout(rng, m));
    out.push({ type: m.type, at: m.at, amount: m.amount, category: m.category, productId: m.productId });
  }
  return out;
}

function checkout(rng: Random, m: Movement): Draft[] {
  const start = m.at - 600_000;
  const view = { ...detailView(rng, m.category, start + 60_000), productId: m.productId };
  view.durationSec = Math.min(400, view.durationSec ?? 0);
  const clickAt = view.at + view.durationSec * 1000 + 20_000;
  return [
    { type: 'app_open', at: start },
    { type: 'view_product_list', at: start + 30_000 },
    view,
    { type: 'click_invest', at: clickAt, category: m.category, productId: m.productId },
    { type: 'click_submit', at: clickAt + 30_000, category: m.category, productId: m.productId },
  ];
}

function toEvents(userId: string, drafts: readonly Draft[]): EventInput[] {
  const iso = isoSeconds();
  return drafts.map((d, i) => {
    const e: EventInput = { id: `e-${userId}-${i + 1}`, userId, type: d.type, ts: iso(d.at) };
    if (d.category !== undefined) e.category = d.category;
    if (d.productId !== undefined) e.productId = d.productId;
    if (d.durationSec !== undefined) e.durationSec = d.durationSec;
    if (d.amount !== undefined) e.amount = d.amount;
    if (d.channel !== undefined) e.channel = d.channel;
    return e;
  });
}

/** ISO-8601 UTC to the second; remembers the day, since a user's events come in time order. */
function isoSeconds(): (ms: number) => string {
  let day = NaN;
  let prefix = '';
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return (ms) => {
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      day = d;
      prefix = new Date(d * DAY_MS).toISOString().slice(0, 11);
    }
    const s = Math.floor((ms - d * DAY_MS) / 1000);
    return `${prefix}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}Z`;
  };
}

const WEIGHTS = weightsInHundredths(DEFAULT_SCORING);

function latentOf(
  userId: string,
  traits: Traits,
  timeline: Timeline,
  drafts: readonly Draft[],
  reachable: Latent['reachable'],
  clock: ModelClock,
): Latent {
  const past = timeline.movements.filter((m) => m.at <= clock.now);
  const next = timeline.movements.find((m) => m.type === 'purchase' && m.at > clock.now);
  let intent = 0;
  for (const d of drafts) if (d.at > clock.now - 14 * DAY_MS) intent += WEIGHTS.get(d.type) ?? 0;
  const last = past[past.length - 1];
  return {
    userId,
    stage: stageAt(traits, past, clock.now),
    fundsRedeemed: last !== undefined && last.type !== 'purchase',
    recentIntent: intent / 100,
    ...(traits.preferred ? { preferred: traits.preferred } : {}),
    responsiveness: traits.responsiveness,
    ticket: traits.ticket,
    bonusHunter: traits.bonusHunter,
    reachable,
    ...(next
      ? { nextPurchase: { afterDays: (next.at - clock.now) / DAY_MS, amount: next.amount, category: next.category } }
      : {}),
  };
}

function stageAt(traits: Traits, past: readonly Movement[], now: number): Stage {
  if (past.some((m) => m.type === 'purchase')) return 'customer';
  if (traits.cardBoundAt !== undefined && traits.cardBoundAt <= now) return 'card_bound';
  if (traits.realNameAt !== undefined && traits.realNameAt <= now) return 'real_name';
  return 'registered';
}
