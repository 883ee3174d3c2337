import type { Campaign } from '../domain/campaign.js';
import type { Delivery } from '../domain/delivery.js';
import { CATEGORIES, type Category } from '../domain/event.js';
import { incentiveFor } from '../domain/incentive.js';
import { recommendProduct, type ProductCatalog, type RecommendedProduct } from '../domain/product.js';
import type { Profile } from '../domain/profile.js';
import { smsLength } from '../domain/sms-length.js';
import type { Issue } from '../errors.js';
import { buildMessage, type MessageContext, type MessageLinks } from './build-message.js';
import type { TemplateSet } from './templates.js';

/** Parts an SMS of a campaign may take unless it says otherwise (`maxSmsParts`). */
export const DEFAULT_MAX_SMS_PARTS = 2;

/** What the check renders with: the message context as the sender has it. */
export interface SmsPartsContext {
  templates: TemplateSet;
  products: ProductCatalog;
  /** Links as the sender makes them (signed with any secret: their length does not depend on it). */
  links: MessageLinks;
  appUrl: string;
  smsSignature?: string | undefined;
}

const SAMPLE_AT = new Date('2026-01-01T00:00:00.000Z');

/**
 * Static check for `tideflow validate`: the campaign's SMS, rendered by the message builder for
 * sample users (one per product the campaign may offer, with its incentive and links as sent),
 * takes at most `maxSmsParts` parts. Each over-long sample is reported once, at `template`.
 */
export function checkSmsParts(c: Campaign, ctx: SmsPartsContext): Issue[] {
  if (!c.channels.includes('sms') || !ctx.templates.get(c.template, 'sms')) return [];
  const max = c.maxSmsParts ?? DEFAULT_MAX_SMS_PARTS;
  const message: MessageContext = {
    templates: ctx.templates,
    links: ctx.links,
    appUrl: ctx.appUrl,
    riskNotice: ctx.products.riskNotice,
    ...(ctx.smsSignature ? { smsSignature: ctx.smsSignature } : {}),
  };
  const worst = sampleProducts(c, ctx.products)
    .map((product) => ({ product, text: render(message, c, product) }))
    .filter((s): s is { product: RecommendedProduct | undefined; text: string } => s.text !== undefined)
    .map((s) => ({ ...s, length: smsLength(s.text) }))
    .sort((a, b) => b.length.length - a.length.length)[0];
  if (!worst || worst.length.parts <= max) return [];
  const offer = worst.product ? ` offered ${worst.product.name}` : '';
  return [
    {
      path: 'template',
      message: `templates/${c.template}.sms.txt renders to ${worst.length.parts} SMS parts (${worst.length.length} characters, ${worst.length.encoding}) for a sample user${offer}, more than maxSmsParts (${max})`,
      hint: 'shorten the text, or raise "maxSmsParts" if the cost is meant',
    },
  ];
}

/** The products sample users get: a most tolerant user preferring each category, and one with no preference. */
function sampleProducts(c: Campaign, catalog: ProductCatalog): (RecommendedProduct | undefined)[] {
  if (!c.product) return [undefined];
  const prefs: (Category | undefined)[] = [...CATEGORIES, undefined];
  const picks = prefs.map((preferredCategory) => {
    const pick = recommendProduct(catalog, c.product ?? {}, { tolerance: 'R5', preferredCategory });
    return pick.kind === 'product' ? pick.product : undefined;
  });
  const found = picks.filter((p): p is RecommendedProduct => p !== undefined);
  return found.length > 0 ? found : [undefined];
}

/** A purchase that reaches the top tier of a tiered incentive (the longest amount to print). */
function topTier(c: Campaign): number | undefined {
  const tiers = c.incentive?.type === 'trial-funds' ? c.incentive.tiers : undefined;
  return tiers ? Math.max(...tiers.map((t) => t.minPurchase)) : undefined;
}

function render(message: MessageContext, c: Campaign, product: RecommendedProduct | undefined): string | undefined {
  const userId = 'sample-user-0001';
  const grant = incentiveFor(c.incentive, { amount: topTier(c) }, SAMPLE_AT);
  const d: Delivery = {
    _id: `${c.id}~run-${SAMPLE_AT.toISOString()}~${userId}`,
    campaignId: c.id,
    userId,
    channel: 'sms',
    timezone: 'Asia/Shanghai',
    ...(product ? { product } : {}),
    ...(grant ? { incentive: grant } : {}),
  } as Delivery;
  const profile = { _id: userId, phone: '+8613800000000' } as Profile;
  const built = buildMessage(message, c, d, profile);
  return built.ok ? built.message.text : undefined;
}
