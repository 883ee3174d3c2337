import type { Category } from '../domain/event.js';
import type { Incentive } from '../domain/incentive.js';
import type { Channel } from '../domain/profile.js';
import { assertNever } from '../errors.js';
import type { Random } from './random.js';

/**
 * How a synthetic user answers a campaign. The model already knows whether the user would buy
 * soon on their own (their simulated future); a contact adds an uplift that is large only for a
 * user who is ready (money on hand or a card bound), showing intent now, offered their favourite
 * category, reached on a channel they read, with an incentive worth having.
 */

export type Stage = 'registered' | 'real_name' | 'card_bound' | 'customer';

/** What the model knows about a user at `now` that the database does not show directly. */
export interface Latent {
  userId: string;
  stage: Stage;
  fundsRedeemed: boolean;
  /** Intent score over the 14 days before `now`, with the default weights. */
  recentIntent: number;
  preferred?: Category;
  /** 0..1: how much an incentive moves this user. */
  responsiveness: number;
  /** Median purchase, yuan. */
  ticket: number;
  bonusHunter: boolean;
  /** Channels with a contact point and consent granted. */
  reachable: Channel[];
  /** The next purchase the user makes without being contacted, if within the simulated future. */
  nextPurchase?: { afterDays: number; amount: number; category: Category };
}

/** One contact: the channel, what it offers (value in yuan), and the category it recommends. */
export interface Offer {
  channel: Channel;
  incentive?: { type: Incentive['type']; amount: number };
  category?: Category;
}

export type Response =
  { converted: false } | { converted: true; organic: boolean; afterDays: number; amount: number; category: Category };

/** Largest chance that one contact turns a non-buyer into a buyer. */
const MAX_UPLIFT = 0.9;

const READINESS: Record<Stage, number> = { registered: 0.03, real_name: 0.08, card_bound: 0.35, customer: 0.1 };

/** Share of contacts on a channel that the user actually reads. */
const REACH: Record<Channel, number> = { sms: 0.85, push: 0.6, email: 0.3 };

/**
 * Whether the user buys within `goalDays` after `now`. Uncontacted (`offer` undefined, e.g. a
 * holdout) the user converts exactly when the model has them buying anyway: the organic rate.
 * Contacted, organic buyers still buy, and others convert with the uplift of `uplift`.
 */
export function respond(latent: Latent, offer: Offer | undefined, goalDays: number, rng: Random): Response {
  const organic = latent.nextPurchase;
  if (organic && organic.afterDays <= goalDays) return { converted: true, organic: true, ...organic };
  if (!offer || !rng.chance(uplift(latent, offer))) return { converted: false };
  const amount = latent.bonusHunter ? 1000 : Math.max(1000, Math.round(rng.logNormal(latent.ticket, 0.4) / 100) * 100);
  return {
    converted: true,
    organic: false,
    afterDays: rng.uniform(0, goalDays),
    amount,
    category: offer.category ?? latent.preferred ?? 'money',
  };
}

/** Chance that `offer` makes a user buy who would not have bought on their own. */
export function uplift(latent: Latent, offer: Offer): number {
  if (!latent.reachable.includes(offer.channel)) return 0;
  return (
    MAX_UPLIFT *
    latent.responsiveness *
    readiness(latent) *
    Math.min(1, 0.1 + latent.recentIntent / 6) *
    categoryMatch(latent, offer) *
    REACH[offer.channel] *
    incentivePull(latent, offer)
  );
}

function readiness(latent: Latent): number {
  if (latent.stage === 'customer' && latent.fundsRedeemed) return 1;
  // Bonus hunters are always ready for free money once they can pay.
  if (latent.bonusHunter && (latent.stage === 'card_bound' || latent.stage === 'customer')) return 0.8;
  return READINESS[latent.stage];
}

function categoryMatch(latent: Latent, offer: Offer): number {
  if (!offer.category || !latent.preferred) return 0.7;
  return offer.category === latent.preferred ? 1 : 0.35;
}

function incentivePull(latent: Latent, offer: Offer): number {
  const incentive = offer.incentive;
  if (!incentive) return latent.bonusHunter ? 0.05 : 0.35;
  switch (incentive.type) {
    case 'red-packet':
      return Math.min(1, 0.55 + incentive.amount / 200);
    // Trial funds are virtual principal: only large amounts pay enough yield to matter.
    case 'trial-funds':
      return Math.min(1, 0.5 + incentive.amount / 40_000);
    case 'voucher':
      return 0.6;
    default:
      return assertNever(incentive.type);
  }
}
