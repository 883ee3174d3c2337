import type { Campaign } from '../domain/campaign.js';
import type { ProductCatalog } from '../domain/product.js';
import type { Issue } from '../errors.js';
import { checkConditions } from './check-conditions.js';
import { didYouMean } from './closest-name.js';
import { PARAM_KINDS, type CheckContext } from './fact-params.js';

/** What a campaign file may refer to, beyond its own text. */
export interface CampaignRefs extends CheckContext {
  products: ProductCatalog;
  /**
   * Checks the campaign's templates: one for each listed channel, using only variables the
   * campaign supplies (deliver/templates.ts `checkCampaignTemplate` over the loaded templates).
   * Absent: templates are not checked; `tideflow validate` always passes it.
   */
  checkTemplates?: (c: Campaign) => Issue[];
  /** The product catalog's file, named when a product is unknown. @defaultValue products.json */
  productsFile?: string;
}

/**
 * Checks what the schema cannot: the segment, the conditions (same language and checks as
 * segments), the product, a template for every listed channel, and event types that look like
 * typos of built-in ones. Each issue carries its JSON path.
 */
export function checkCampaignRefs(c: Campaign, refs: CampaignRefs): Issue[] {
  const issues: Issue[] = [];
  const segment = PARAM_KINDS.segment.check(c.segment, refs);
  if (!segment.ok) issues.push({ path: 'segment', message: segment.message, hint: segment.hint });
  if (c.conditions !== undefined) issues.push(...checkConditions(c.conditions, 'conditions', refs));
  if (c.product?.id !== undefined && !refs.products.products.some((p) => p.id === c.product?.id)) {
    const ids = refs.products.products.map((p) => p.id);
    issues.push({
      path: 'product.id',
      message: `unknown product "${c.product.id}" (not in ${refs.productsFile ?? 'products.json'})`,
      hint: didYouMean(c.product.id, ids),
    });
  }
  issues.push(...checkTemplates(c, refs.checkTemplates));
  for (const [path, type] of [
    ['trigger.event', c.trigger?.event],
    ['goal.event', c.goal?.event],
  ] as const) {
    if (type === undefined) continue;
    const event = PARAM_KINDS.eventType.check(type, refs);
    if (!event.ok) issues.push({ path, message: event.message, hint: event.hint });
  }
  return issues.map(withoutEmptyHint);
}

/** Issues from the template check carry the template's file; say which campaign they are about. */
function checkTemplates(c: Campaign, check: CampaignRefs['checkTemplates']): Issue[] {
  if (!check) return [];
  const offers = `${c.product ? 'a product' : 'no product'}, ${c.incentive ? `a ${c.incentive.type}` : 'no incentive'}`;
  return check(c).map((i) =>
    i.file ? { ...i, message: `${i.message}, which campaign "${c.id}" (${offers}) does not supply` } : i,
  );
}

function withoutEmptyHint(i: Issue): Issue {
  const { hint, ...rest } = i;
  return hint === undefined ? rest : i;
}
