import { z } from 'zod';
import { Category, Id } from './event.js';
import { Yuan } from './budget.js';

export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
/** Product risk level, R1 (lowest) to R5; a user's tolerance uses the same scale. */
export const RiskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevel>;

/**
 * The tolerance assumed when a profile has none (or an unreadable one): R1, the lowest. Users who
 * never took a risk assessment are offered only the safest products (money-market funds), which
 * keeps suitability a hard gate without silencing them.
 */
export const DEFAULT_RISK_TOLERANCE: RiskLevel = 'R1';

export const DEFAULT_RISK_NOTICE = '基金有风险，投资需谨慎';

export const Product = z.strictObject({
  id: Id,
  name: z.string().min(1).max(64),
  category: Category,
  riskLevel: RiskLevel,
  /** Expected annual yield as a fraction: 0.035 is 3.5%. */
  expectedYield: z.number().min(0).max(1),
  /** Term in days; 0 for open-ended products (redeemable any day). */
  termDays: z.number().int().min(0).max(3660),
  /** Smallest purchase, yuan. */
  minAmount: Yuan,
  /** Fund products carry the risk notice in every marketing text. @defaultValue true */
  fund: z.boolean().default(true),
  status: z.enum(['active', 'inactive']),
});
export type Product = z.infer<typeof Product>;

/** rules/products.json. */
export const ProductCatalog = z.strictObject({
  /** The notice fund marketing texts carry. @defaultValue 基金有风险，投资需谨慎 */
  riskNotice: z.string().min(1).max(200).default(DEFAULT_RISK_NOTICE),
  products: z.array(Product).superRefine((products, ctx) => {
    const seen = new Set<string>();
    products.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate product id "${p.id}"` });
      seen.add(p.id);
    });
  }),
});
export type ProductCatalog = z.infer<typeof ProductCatalog>;

/** A product as a template sees it: `riskNotice` is the notice for funds and '' otherwise. */
export type RecommendedProduct = Product & { riskNotice: string };

/** Which product a campaign offers: a fixed one, the best of a category, or (neither) the best of the user's preferred category. */
export const ProductChoice = z
  .strictObject({
    id: Id.optional(),
    category: Category.optional(),
    /** Used when the user has no clear preference. Without it such users are skipped (`no-product`). */
    fallbackCategory: Category.optional(),
  })
  .refine((c) => !(c.id && c.category), { message: 'give a product id or a category, not both' });
export type ProductChoice = z.infer<typeof ProductChoice>;

export type ProductPick =
  | { kind: 'product'; product: RecommendedProduct }
  | { kind: 'none'; reason: 'no-product' | 'suitability'; detail: string };

/** Reads `attributes.riskTolerance` ("R3", "r3", 3 or "3"); undefined when absent or unreadable. */
export function parseRiskTolerance(value: unknown): RiskLevel | undefined {
  const text = typeof value === 'number' ? `R${value}` : typeof value === 'string' ? value.trim().toUpperCase() : '';
  const level = /^\d$/.test(text) ? `R${text}` : text;
  return RiskLevel.safeParse(level).success ? (level as RiskLevel) : undefined;
}

export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level) + 1;
}

function suitable(p: Product, tolerance: RiskLevel): boolean {
  return riskRank(p.riskLevel) <= riskRank(tolerance);
}

function offer(catalog: ProductCatalog, p: Product): ProductPick {
  return { kind: 'product', product: { ...p, riskNotice: p.fund ? catalog.riskNotice : '' } };
}

/** The best active product of `category` the tolerance allows: highest expected yield, then smallest id. */
export function bestProduct(catalog: ProductCatalog, category: Category, tolerance: RiskLevel): ProductPick {
  const active = catalog.products.filter((p) => p.status === 'active' && p.category === category);
  if (active.length === 0) return { kind: 'none', reason: 'no-product', detail: `no active ${category} product` };
  const allowed = active.filter((p) => suitable(p, tolerance));
  if (allowed.length === 0) {
    return {
      kind: 'none',
      reason: 'suitability',
      detail: `every active ${category} product is above risk tolerance ${tolerance}`,
    };
  }
  allowed.sort((a, b) => b.expectedYield - a.expectedYield || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return offer(catalog, allowed[0] as Product);
}

/**
 * The product a campaign offers this user. Suitability is a hard gate: a product above the user's
 * tolerance is never returned, whatever the campaign asks for.
 */
export function recommendProduct(
  catalog: ProductCatalog,
  choice: ProductChoice,
  user: { tolerance: RiskLevel; preferredCategory?: Category | undefined },
): ProductPick {
  if (choice.id) {
    const p = catalog.products.find((x) => x.id === choice.id && x.status === 'active');
    if (!p) return { kind: 'none', reason: 'no-product', detail: `product ${choice.id} is not active` };
    if (!suitable(p, user.tolerance))
      return { kind: 'none', reason: 'suitability', detail: `${p.id} is ${p.riskLevel}, tolerance ${user.tolerance}` };
    return offer(catalog, p);
  }
  const category = choice.category ?? user.preferredCategory ?? choice.fallbackCategory;
  if (!category) return { kind: 'none', reason: 'no-product', detail: 'no preferred category and no fallbackCategory' };
  return bestProduct(catalog, category, user.tolerance);
}
