import { assertNever } from '../errors.js';
import { dayKey } from './day.js';
import type { Category } from './event.js';
import type { Grant } from './incentive.js';
import type { RecommendedProduct } from './product.js';
import type { TemplateVariables } from './template-render.js';
import { variableNames } from './template-render.js';

/**
 * The variables templates can print, built from what the deliver stage knows about one send.
 * Formatting happens here, once (amounts, percentages, dates in the user's time zone), so
 * templates stay plain text.
 *
 * | variable | example |
 * | --- | --- |
 * | user.id | u-1001 |
 * | links.unsubscribe | https://…/u/… |
 * | links.landing | https://…/v1/l/… (tracked link to the campaign's page) |
 * | links.product | https://…/v1/l/… (tracked link to the product's page; campaigns with a product) |
 * | riskNotice | 基金有风险，投资需谨慎 ('' for a non-fund product) |
 * | product.name / category / riskLevel / riskName / expectedYield / term / minAmount | 稳健债券A / 债券 / R2 / 中低风险 / 3.50% / 90天 / 1000 |
 * | incentive.name / amount / expiresOn | 红包 / 20 / 2026-11-27 |
 * | incentive.minPurchase | 1000 (red packets, vouchers) |
 * | incentive.days / rate | 7 / 8.00% (trial funds) |
 */
export interface MessageFacts {
  user: { id: string; timezone: string };
  /** The signed links of this delivery; `product` when the message offers a product. */
  links: { unsubscribe: string; landing: string; product?: string | undefined };
  /** The notice fund marketing carries (the catalog's, or the product's own). */
  riskNotice: string;
  product?: Pick<
    RecommendedProduct,
    'name' | 'category' | 'riskLevel' | 'expectedYield' | 'termDays' | 'minAmount' | 'riskNotice'
  >;
  incentive?: Grant;
}

export const CATEGORY_NAMES: Record<Category, string> = {
  bond: '债券',
  stock: '股票',
  money: '货币',
  index: '指数',
  mixed: '混合',
};
const RISK_NAMES = { R1: '低风险', R2: '中低风险', R3: '中风险', R4: '中高风险', R5: '高风险' } as const;

export function messageVariables(f: MessageFacts): TemplateVariables {
  const vars: TemplateVariables = {
    user: { id: f.user.id },
    links: {
      unsubscribe: f.links.unsubscribe,
      landing: f.links.landing,
      ...(f.product && f.links.product ? { product: f.links.product } : {}),
    },
    // A product that is not a fund carries no notice of its own; the campaign's notice otherwise.
    riskNotice: f.product ? f.product.riskNotice : f.riskNotice,
  };
  if (f.product) {
    const p = f.product;
    vars.product = {
      name: p.name,
      category: CATEGORY_NAMES[p.category],
      riskLevel: p.riskLevel,
      riskName: RISK_NAMES[p.riskLevel],
      expectedYield: percent(p.expectedYield),
      term: p.termDays > 0 ? `${p.termDays}天` : '随时申赎',
      minAmount: yuan(p.minAmount),
    };
  }
  if (f.incentive) vars.incentive = incentiveVariables(f.incentive, f.user.timezone);
  return vars;
}

function incentiveVariables(g: Grant, tz: string): TemplateVariables {
  const expiresOn = dayKey(g.expiresAt, tz);
  switch (g.type) {
    case 'red-packet':
      return { name: '红包', amount: yuan(g.amount), minPurchase: yuan(g.minPurchase), expiresOn };
    case 'voucher':
      return { name: g.description ?? '优惠券', amount: yuan(g.value), minPurchase: yuan(g.minPurchase), expiresOn };
    case 'trial-funds':
      return { name: '体验金', amount: yuan(g.principal), days: g.days, rate: percent(g.annualRate), expiresOn };
    default:
      return assertNever(g);
  }
}

/** Yuan as people write them: `20`, `8.80`, `10000`. */
export function yuan(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** What a campaign's messages can contain: whether they carry a product, and which incentive. */
export interface VariableShape {
  product: boolean;
  incentive?: Grant['type'] | undefined;
}

/**
 * The variable names rendering supplies for a campaign of this shape: `tideflow validate` checks
 * a campaign's templates against it (see checkTemplateVariables). Derived from messageVariables
 * itself, so the check and the render cannot disagree.
 */
export function suppliedVariables(shape: VariableShape): Set<string> {
  const at = new Date(0);
  const sample: MessageFacts = {
    user: { id: 'u', timezone: 'UTC' },
    links: { unsubscribe: 'u', landing: 'l', product: 'p' },
    riskNotice: 'r',
  };
  if (shape.product)
    sample.product = {
      name: 'p',
      category: 'bond',
      riskLevel: 'R1',
      expectedYield: 0,
      termDays: 0,
      minAmount: 0,
      riskNotice: 'r',
    };
  if (shape.incentive) sample.incentive = sampleGrant(shape.incentive, at);
  return new Set(variableNames(messageVariables(sample)));
}

function sampleGrant(type: Grant['type'], expiresAt: Date): Grant {
  switch (type) {
    case 'red-packet':
      return { type, amount: 1, minPurchase: 0, expiresAt, costFen: 0 };
    case 'voucher':
      return { type, value: 1, minPurchase: 0, expiresAt, costFen: 0 };
    case 'trial-funds':
      return { type, principal: 1, days: 1, annualRate: 0, expiresAt, costFen: 0 };
    default:
      return assertNever(type);
  }
}
