import type { Campaign } from '../domain/campaign.js';
import { suppliedVariables } from '../domain/message-variables.js';
import type { ProductCatalog } from '../domain/product.js';
import type { Channel } from '../domain/profile.js';
import type { Template } from '../domain/template.js';
import { checkTemplateVariables } from '../domain/template-render.js';
import type { Issue } from '../errors.js';
import { checkConditions } from './check-conditions.js';
import { didYouMean } from './closest-name.js';
import { PARAM_KINDS, type CheckContext } from './fact-params.js';

/** What a campaign file may refer to, beyond its own text. */
export interface CampaignRefs extends CheckContext {
  products: ProductCatalog;
  /**
   * The loaded templates (pipeline/templates.ts `TemplateSet` fits). Absent: templates are not
   * checked, for callers that have not loaded them; `tideflow validate` always passes them.
   */
  templates?: CampaignTemplates;
}

/** What the check needs of a template set. */
export interface CampaignTemplates {
  get(id: string, channel: Channel): Template | undefined;
  ids(): string[];
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
    issues.push({ path: 'product.id', message: `unknown product "${c.product.id}" (rules/products.json)`, hint: didYouMean(c.product.id, ids) });
  }
  issues.push(...checkTemplates(c, refs.templates));
  for (const [path, type] of [['trigger.event', c.trigger?.event], ['goal.event', c.goal?.event]] as const) {
    if (type === undefined) continue;
    const event = PARAM_KINDS.eventType.check(type, refs);
    if (!event.ok) issues.push({ path, message: event.message, hint: event.hint });
  }
  return issues.map(withoutEmptyHint);
}

/**
 * A template for every listed channel, printing only variables this campaign supplies (a product
 * only when it offers one, the fields of its incentive type only).
 */
function checkTemplates(c: Campaign, templates: CampaignTemplates | undefined): Issue[] {
  if (!templates) return [];
  if (!templates.ids().includes(c.template)) {
    return [{ path: 'template', message: `unknown template "${c.template}" (no templates/${c.template}.<channel>.txt)`, hint: didYouMean(c.template, templates.ids()) }];
  }
  const supplied = suppliedVariables({ product: c.product !== undefined, incentive: c.incentive?.type });
  const offers = `${c.product ? 'a product' : 'no product'}, ${c.incentive ? `a ${c.incentive.type}` : 'no incentive'}`;
  return c.channels.flatMap((ch, i) => {
    const t = templates.get(c.template, ch);
    if (!t) return [{ path: `channels[${i}]`, message: `template "${c.template}" has no ${ch} version (templates/${c.template}.${ch}.txt)` }];
    return checkTemplateVariables(t, supplied).map((v) => ({ ...v, message: `${v.message}, which campaign "${c.id}" (${offers}) does not supply` }));
  });
}

function withoutEmptyHint(i: Issue): Issue {
  const { hint, ...rest } = i;
  return hint === undefined ? rest : i;
}
