import { triggerDueAt, type Campaign } from '../../src/domain/campaign.js';
import { nextOccurrence } from '../../src/domain/campaign-schedule.js';
import { decide } from '../../src/domain/gates.js';
import type { ProductCatalog } from '../../src/domain/product.js';
import { formatIssues, ValidationError } from '../../src/errors.js';
import { checkCampaignTemplate, readTemplates } from '../../src/deliver/templates.js';
import { campaignRules, loadProducts, readCampaignFiles } from '../../src/rules/campaign-loader.js';
import { checkRuleDir } from '../../src/rules/rule-set.js';
import { aRecipient, NOW } from '../support/factories.js';

let campaigns: Map<string, Campaign>;
let catalog: ProductCatalog;

beforeAll(async () => {
  const { templates } = await readTemplates('templates');
  const checkTemplates = (c: Campaign) => checkCampaignTemplate(templates, c);
  const check = await checkRuleDir('rules', [campaignRules(checkTemplates)]);
  if (check.issues.length > 0) throw new Error(formatIssues(new ValidationError('rules/ is invalid', check.issues)));
  catalog = await loadProducts('rules');
  const files = await readCampaignFiles('rules', {
    scoring: check.ruleSet.scoring,
    segmentIds: new Set(check.ruleSet.segments.keys()),
    products: catalog,
    checkTemplates,
  });
  campaigns = new Map(files.campaigns.map((c) => [c.id, c]));
});

const get = (id: string): Campaign => {
  const c = campaigns.get(id);
  if (!c) throw new Error(`no shipped campaign ${id}`);
  return c;
};

test('the playbook campaigns ship and validate against the shipped segments, products and templates', () => {
  expect([...campaigns.keys()].sort()).toEqual([
    'blanket-red-packet',
    'first-purchase',
    'growth-first-purchase',
    'growth-register',
    'growth-reinvest',
    'reengage-redeemed',
    'weekly-picks',
  ]);
});

test('first purchase: the best suitable product of the preferred category and a red packet, by SMS first', () => {
  const d = decide({
    campaign: get('first-purchase'),
    recipient: aRecipient({ userId: 'u-2', riskTolerance: 'R2', preferredCategory: 'bond' }),
    now: NOW,
    history: [],
    catalog,
  });
  expect(d).toMatchObject({
    kind: 'send',
    channel: 'sms',
    product: { id: 'bond-steady', riskNotice: '基金有风险，投资需谨慎' },
    incentive: { type: 'red-packet', amount: 20 },
  });
});

test('re-engagement waits three days for the money to settle and expires if evaluated too late', () => {
  const c = get('reengage-redeemed');
  const redeemAt = new Date('2026-11-19T15:00:00+08:00');
  expect(triggerDueAt(c, redeemAt)).toEqual(new Date('2026-11-22T15:00:00+08:00'));
  // Funds redeemed is a standing state: launching the campaign also reaches those already in it.
  expect(c.trigger?.backfill).toBe(true);
  expect(get('growth-register').trigger?.backfill).toBeUndefined();
  const late = decide({
    campaign: c,
    recipient: aRecipient({ userId: 'u-2' }),
    now: new Date('2026-11-25T15:00:00+08:00'),
    trigger: { type: 'redeem', at: redeemAt },
    history: [],
    catalog,
  });
  expect(late).toMatchObject({ kind: 'skip', reason: 'trigger-expired' });
});

test.each([
  [800, undefined],
  [1000, 5000],
  [12000, 20000],
  [80000, 100000],
])('growth ladder: a first purchase of %d yuan earns %s of trial funds', (amount, principal) => {
  const d = decide({
    campaign: get('growth-first-purchase'),
    recipient: aRecipient({ userId: 'u-2' }),
    now: NOW,
    trigger: { type: 'purchase', at: NOW, amount },
    history: [],
    catalog,
  });
  if (principal === undefined) expect(d).toMatchObject({ kind: 'skip', reason: 'no-incentive' });
  else expect(d).toMatchObject({ kind: 'send', channel: 'push', incentive: { type: 'trial-funds', principal } });
});

test('growth rewards outrank marketing sent the same day', () => {
  const history = [
    { campaignId: 'growth-register', channel: 'push' as const, at: NOW, priority: get('growth-register').priority },
  ];
  const d = decide({
    campaign: get('first-purchase'),
    recipient: aRecipient({ userId: 'u-2' }),
    now: NOW,
    history,
    catalog,
  });
  expect(d).toMatchObject({ kind: 'skip', reason: 'priority' });
});

test('weekly picks go out on Fridays at 10:00 Shanghai time, by push, never by SMS', () => {
  const c = get('weekly-picks');
  expect(nextOccurrence(c.schedule as NonNullable<Campaign['schedule']>, NOW)).toEqual(
    new Date('2026-11-27T10:00:00+08:00'),
  );
  expect(c.channels).not.toContain('sms');
  const noPreference = decide({
    campaign: c,
    recipient: aRecipient({ userId: 'u-2', preferredCategory: undefined }),
    now: NOW,
    history: [],
    catalog,
  });
  expect(noPreference).toMatchObject({ kind: 'skip', reason: 'no-product' });
});

test('targeted campaigns and the blanket one keep a 10% holdout for measuring lift', () => {
  for (const id of ['first-purchase', 'weekly-picks', 'blanket-red-packet']) expect(get(id).holdout).toBe(10);
  // A small targeted audience: a larger holdout keeps its lift measurable.
  expect(get('reengage-redeemed').holdout).toBe(20);
});
