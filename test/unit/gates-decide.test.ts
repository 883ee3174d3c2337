import type { CampaignInput } from '../../src/domain/campaign.js';
import type { SendRecord } from '../../src/domain/caps.js';
import type { Decision, Recipient } from '../../src/domain/decision.js';
import { triggerDueAt } from '../../src/domain/campaign.js';
import { decide, historySince, type DecideInput } from '../../src/domain/gates.js';
import { inHoldout } from '../../src/domain/holdout.js';
import { aCampaign, aCatalog, aRecipient, NOW } from '../support/factories.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

interface Case {
  name: string;
  campaign?: Partial<CampaignInput>;
  recipient?: Partial<Recipient>;
  input?: Partial<DecideInput>;
  expect: string;
}

function run(c: Omit<Case, 'name' | 'expect'>): Decision {
  return decide({
    campaign: aCampaign(c.campaign),
    recipient: aRecipient(c.recipient),
    now: NOW,
    history: [],
    catalog: aCatalog(),
    ...c.input,
  });
}

function outcome(d: Decision): string {
  return d.kind === 'send' ? `send ${d.channel}` : d.reason;
}

const holdoutUser = Array.from({ length: 200 }, (_, i) => `u${i}`).find((u) =>
  inHoldout('test-campaign', u, 10),
) as string;
const sent = (over: Partial<SendRecord>): SendRecord => ({
  campaignId: 'other',
  channel: 'email',
  at: ago(HOUR),
  ...over,
});
const granted = { granted: true, at: new Date('2026-01-01T00:00:00Z'), source: 'signup' };

const cases: Case[] = [
  { name: 'everything allows it', expect: 'send sms' },
  { name: 'paused', campaign: { status: 'paused' }, expect: 'paused' },
  { name: 'draft', campaign: { status: 'draft' }, expect: 'draft' },
  {
    name: 'status comes before holdout',
    campaign: { status: 'paused', holdout: 10 },
    recipient: { userId: holdoutUser },
    expect: 'paused',
  },
  {
    name: 'trigger evaluated after delay + within',
    campaign: { trigger: { event: 'redeem', delay: '1d', within: '12h' } },
    input: { trigger: { type: 'redeem', at: ago(DAY + 13 * HOUR) } },
    expect: 'trigger-expired',
  },
  {
    name: 'trigger still fresh',
    campaign: { trigger: { event: 'redeem', delay: '1d', within: '12h' } },
    input: { trigger: { type: 'redeem', at: ago(DAY + 11 * HOUR) } },
    expect: 'send sms',
  },
  { name: 'in the holdout', campaign: { holdout: 10 }, recipient: { userId: holdoutUser }, expect: 'holdout' },
  {
    name: 'holdout comes before consent',
    campaign: { holdout: 10 },
    recipient: { userId: holdoutUser, consent: {} },
    expect: 'holdout',
  },
  { name: 'no consent anywhere', recipient: { consent: {} }, expect: 'no-consent' },
  {
    name: 'consent withdrawn',
    recipient: { consent: { sms: { ...granted, granted: false } } },
    expect: 'unsubscribed',
  },
  { name: 'consent but no contact point', recipient: { contact: {} }, expect: 'no-contact' },
  {
    name: 'every reachable channel suppressed',
    recipient: { suppressed: ['sms', 'push', 'email'] },
    expect: 'suppressed',
  },
  {
    name: 'falls back to push without sms consent',
    recipient: { consent: { push: granted, email: granted } },
    expect: 'send push',
  },
  { name: 'falls back to push when sms is suppressed', recipient: { suppressed: ['sms'] }, expect: 'send push' },
  {
    name: 'falls back to email without a push token',
    recipient: { consent: { push: granted, email: granted }, contact: { email: 'a@b.cn' } },
    expect: 'send email',
  },
  {
    name: 'sent by this campaign within the cooldown',
    campaign: { limits: { cooldown: '7d' } },
    input: { history: [sent({ campaignId: 'test-campaign', at: ago(3 * DAY) })] },
    expect: 'cooldown',
  },
  {
    name: 'cooldown over',
    campaign: { limits: { cooldown: '7d' } },
    input: { history: [sent({ campaignId: 'test-campaign', at: ago(8 * DAY) })] },
    expect: 'send sms',
  },
  {
    name: 'another campaign does not start the cooldown',
    campaign: { limits: { cooldown: '7d' } },
    input: { history: [sent({ at: ago(3 * DAY) })] },
    expect: 'send sms',
  },
  { name: 'one sms a day already', input: { history: [sent({ channel: 'sms' })] }, expect: 'frequency-cap' },
  {
    name: 'two messages today already',
    input: { history: [sent({}), sent({ channel: 'push' })] },
    expect: 'frequency-cap',
  },
  {
    name: 'a campaign raises its own cap',
    campaign: { limits: { perDay: { sms: 2 } } },
    input: { history: [sent({ channel: 'sms' })] },
    expect: 'send sms',
  },
  {
    name: 'cooldown comes before caps',
    campaign: { limits: { cooldown: '7d' } },
    input: { history: [sent({ campaignId: 'test-campaign', channel: 'sms' })] },
    expect: 'cooldown',
  },
  {
    name: 'a higher-priority campaign reached the user today',
    input: { history: [sent({ priority: 5 })] },
    expect: 'priority',
  },
  { name: 'equal priority does not block', input: { history: [sent({ priority: 0 })] }, expect: 'send sms' },
  {
    name: 'a higher-priority campaign yesterday does not block',
    input: { history: [sent({ priority: 5, at: ago(DAY) })] },
    expect: 'send sms',
  },
  {
    name: 'caps come before priority',
    input: { history: [sent({ priority: 5, channel: 'sms' })] },
    expect: 'frequency-cap',
  },
  {
    name: 'purchase below the lowest tier',
    campaign: {
      incentive: { type: 'trial-funds', tiers: [{ minPurchase: 1000, amount: 5000 }], days: 3, annualRate: 0.08 },
    },
    input: { trigger: { type: 'purchase', at: ago(HOUR), amount: 500 } },
    expect: 'no-incentive',
  },
  {
    name: 'an incentive from another campaign within incentiveCooldown',
    campaign: {
      incentive: { type: 'red-packet', amount: 8, minPurchase: 1000, expiryDays: 7 },
      limits: { incentiveCooldown: '30d' },
    },
    input: { history: [sent({ incentive: true, at: ago(10 * DAY) })] },
    expect: 'incentive-limit',
  },
  {
    name: 'incentiveCooldown does not stop a campaign without incentive',
    campaign: { limits: { incentiveCooldown: '30d' } },
    input: { history: [sent({ incentive: true, at: ago(10 * DAY) })] },
    expect: 'send sms',
  },
  {
    name: 'the budget left is below the red packet',
    campaign: { incentive: { type: 'red-packet', amount: 8, minPurchase: 1000, expiryDays: 7 }, budget: { cap: 10 } },
    input: { budget: { capFen: 1000, spentFen: 300 } },
    expect: 'budget',
  },
  {
    name: 'message cost counts when the budget says so',
    campaign: {
      incentive: { type: 'red-packet', amount: 8, minPurchase: 1000, expiryDays: 7 },
      budget: { cap: 8.04, includeMessageCost: true },
    },
    expect: 'budget',
  },
  {
    name: 'the free channel fits where sms would not',
    campaign: {
      channels: ['push'],
      incentive: { type: 'red-packet', amount: 8, minPurchase: 1000, expiryDays: 7 },
      budget: { cap: 8.04, includeMessageCost: true },
    },
    expect: 'send push',
  },
  {
    name: 'no preference and no fallback category',
    campaign: { product: {} },
    recipient: { preferredCategory: undefined },
    expect: 'no-product',
  },
  {
    name: 'fallback category for users without preference',
    campaign: { product: { fallbackCategory: 'money' } },
    recipient: { preferredCategory: undefined },
    expect: 'send sms',
  },
  {
    name: 'every bond fund is above R1',
    campaign: { product: { category: 'bond' } },
    recipient: { riskTolerance: 'R1' },
    expect: 'suitability',
  },
  {
    name: 'budget comes before suitability',
    campaign: {
      product: { category: 'bond' },
      incentive: { type: 'red-packet', amount: 8, minPurchase: 1000, expiryDays: 7 },
      budget: { cap: 5 },
    },
    recipient: { riskTolerance: 'R1' },
    expect: 'budget',
  },
];

test.each(cases)('$name → $expect', (c) => {
  expect(outcome(run(c))).toBe(c.expect);
});

test('a skip for consent names each channel and why', () => {
  const d = run({
    recipient: { consent: { sms: { ...granted, granted: false }, push: granted }, contact: { sms: '+8613800138000' } },
  });
  expect(d).toEqual({
    kind: 'skip',
    reason: 'no-contact',
    detail: 'sms: unsubscribed, push: no-contact, email: no-consent',
  });
});

test('a send carries the recommended product with its risk notice, the grant and the costs', () => {
  const d = run({
    campaign: {
      product: {},
      incentive: { type: 'red-packet', amount: 8, minPurchase: 1000, expiryDays: 7 },
      budget: { cap: 1000, includeMessageCost: true },
    },
  });
  expect(d).toEqual({
    kind: 'send',
    channel: 'sms',
    sendAt: NOW,
    postponed: false,
    messageCostFen: 5,
    budgetFen: 805,
    product: expect.objectContaining({ id: 'bond-plus', riskNotice: '基金有风险，投资需谨慎' }),
    incentive: {
      type: 'red-packet',
      amount: 8,
      minPurchase: 1000,
      expiresAt: new Date(NOW.getTime() + 7 * DAY),
      costFen: 800,
    },
  });
});

describe('quiet hours postpone, and caps count the day the message goes out', () => {
  const lateEvening = new Date('2026-11-20T22:30:00+08:00');
  const nextMorning = new Date('2026-11-21T08:00:00+08:00');

  test('22:30 in Shanghai goes out at 08:00 the next day', () => {
    const d = decide({
      campaign: aCampaign(),
      recipient: aRecipient(),
      now: lateEvening,
      history: [],
      catalog: aCatalog(),
    });
    expect(d).toMatchObject({ kind: 'send', sendAt: nextMorning, postponed: true });
  });

  test('an sms sent earlier that evening does not fill the next day', () => {
    const history = [sent({ channel: 'sms', at: new Date('2026-11-20T19:00:00+08:00') })];
    expect(
      outcome(
        decide({ campaign: aCampaign(), recipient: aRecipient(), now: lateEvening, history, catalog: aCatalog() }),
      ),
    ).toBe('send sms');
  });

  test('an sms planned for the next morning does', () => {
    const history = [sent({ channel: 'sms', at: new Date('2026-11-21T09:00:00+08:00') })];
    expect(
      outcome(
        decide({ campaign: aCampaign(), recipient: aRecipient(), now: lateEvening, history, catalog: aCatalog() }),
      ),
    ).toBe('frequency-cap');
  });

  test('a channel with quiet hours off sends at once', () => {
    const campaign = aCampaign({ limits: { quietHours: { sms: null } } });
    expect(
      decide({ campaign, recipient: aRecipient(), now: lateEvening, history: [], catalog: aCatalog() }),
    ).toMatchObject({ sendAt: lateEvening, postponed: false });
  });

  test('quiet hours are read in the user time zone', () => {
    const recipient = aRecipient({ timezone: 'America/New_York' }); // 22:30 Shanghai is 09:30 in New York
    expect(
      decide({ campaign: aCampaign(), recipient, now: lateEvening, history: [], catalog: aCatalog() }),
    ).toMatchObject({ postponed: false });
  });
});

describe('what the execution layer needs around decide', () => {
  test('history reaches back a week, or further for longer cooldowns', () => {
    expect(historySince(aCampaign(), NOW)).toEqual(ago(8 * DAY));
    expect(historySince(aCampaign({ limits: { incentiveCooldown: '30d' } }), NOW)).toEqual(ago(30 * DAY));
  });

  test('a trigger is due after its delay', () => {
    const redeemAt = new Date('2026-11-20T15:00:00+08:00');
    expect(triggerDueAt(aCampaign({ trigger: { event: 'redeem', delay: '1d' } }), redeemAt)).toEqual(
      new Date('2026-11-21T15:00:00+08:00'),
    );
    expect(triggerDueAt(aCampaign(), redeemAt)).toEqual(redeemAt);
  });
});
