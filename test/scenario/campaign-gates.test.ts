// Each gate observed end to end: run a campaign over seeded users, read the ledger and the receivers.
import { inHoldout } from '../../src/domain/holdout.js';
import type { Campaign } from '../../src/domain/campaign.js';
import { runNow } from '../../src/deliver/run-now.js';
import { browsing, ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function world(campaigns: Campaign[], label: string): Promise<World> {
  w = await openWorld({ campaigns, label });
  return w;
}

const ids = (n: number, prefix = 'u'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
const received = (x: World): number =>
  x.receivers.push.received.length + x.receivers.smtp.received.length + x.receivers.sms.received.length;

test('holdout: the sticky control group is recorded as skipped and never contacted', async () => {
  const x = await world([testCampaign({ holdout: 30 })], 'gate_holdout');
  const users = ids(40);
  await seedUsers(
    x,
    users.map((id) => ({ id })),
  );
  const { tally } = await runNow(x.rt, 'test-picks');
  const held = users.filter((u) => inHoldout('test-picks', u, 30));
  expect(held.length).toBeGreaterThan(3);
  expect(tally).toMatchObject({ matched: 40, sent: { push: 40 - held.length }, skipped: { holdout: held.length } });
  const ledger = await ledgerOf(x, 'test-picks');
  for (const u of held) expect(ledger.get(u)).toMatchObject({ state: 'skipped', reason: 'holdout' });
  const reached = new Set(x.receivers.push.received.map((p) => p.to));
  expect(held.filter((u) => reached.has(`push-token-${u}`))).toEqual([]);
});

test('channel fallback in preference order: consent, contact point, then the next channel', async () => {
  const x = await world([testCampaign({ channels: ['sms', 'push', 'email'] })], 'gate_fallback');
  await seedUsers(x, [
    { id: 'all' },
    { id: 'no-sms-consent', consent: ['push', 'email'] },
    { id: 'no-phone', without: ['phone'] },
    { id: 'email-only', consent: ['sms', 'email'], without: ['phone'] },
    { id: 'nothing', consent: ['sms'], without: ['phone'] },
  ]);
  await runNow(x.rt, 'test-picks');
  const ledger = await ledgerOf(x, 'test-picks');
  const channelOf = (u: string): string | undefined => ledger.get(u)?.channel;
  expect([channelOf('all'), channelOf('no-sms-consent'), channelOf('no-phone'), channelOf('email-only')]).toEqual([
    'sms',
    'push',
    'push',
    'email',
  ]);
  expect(ledger.get('nothing')).toMatchObject({ state: 'skipped', reason: 'no-contact' });
  expect(x.receivers.sms.received.map((m) => m.body)).toEqual([expect.stringContaining('回T退订')]);
});

test('cooldown, frequency caps and priority read the ledger across runs and campaigns', async () => {
  const high = testCampaign({ id: 'high', priority: 10, limits: { cooldown: '7d' } });
  const low = testCampaign({ id: 'low', priority: 0 });
  const capped = testCampaign({ id: 'capped', priority: 20, limits: { perDay: { total: 1 } } });
  const x = await world([high, low, capped], 'gate_history');
  await seedUsers(x, [{ id: 'a' }, { id: 'b' }]);
  expect((await runNow(x.rt, 'high')).tally.sent).toEqual({ push: 2 });
  x.clock.advance(60_000);
  expect((await runNow(x.rt, 'high')).tally.skipped).toEqual({ cooldown: 2 });
  expect((await runNow(x.rt, 'low')).tally.skipped).toEqual({ priority: 2 });
  expect((await runNow(x.rt, 'capped')).tally.skipped).toEqual({ 'frequency-cap': 2 });
  const ledger = await ledgerOf(x, 'low');
  expect(ledger.get('a')?.detail).toContain('high (priority 10)');
  expect(received(x)).toBe(2);
});

test("incentive limit: no second incentive, from any campaign, within the campaign's incentiveCooldown", async () => {
  const red = {
    template: 'first-purchase',
    incentive: { type: 'red-packet' as const, amount: 20, minPurchase: 1000, expiryDays: 7 },
  };
  const x = await world(
    [
      testCampaign({ id: 'first', ...red }),
      testCampaign({ id: 'second', ...red, priority: 10, limits: { incentiveCooldown: '30d' } }),
    ],
    'gate_incentive',
  );
  await seedUsers(x, [{ id: 'a' }]);
  await runNow(x.rt, 'first');
  x.clock.advance(3 * 86_400_000);
  const { tally } = await runNow(x.rt, 'second');
  expect(tally.skipped).toEqual({ 'incentive-limit': 1 });
  expect((await ledgerOf(x, 'second')).get('a')?.detail).toContain('first granted');
  expect(await x.rt.grants.count({ userId: 'a' })).toBe(1);
});

test('budget: plans only what fits, and the cap holds', async () => {
  const c = testCampaign({
    template: 'first-purchase',
    incentive: { type: 'red-packet', amount: 20, minPurchase: 1000, expiryDays: 7 },
    budget: { cap: 50 },
  });
  const x = await world([c], 'gate_budget');
  await seedUsers(
    x,
    ids(5).map((id) => ({ id })),
  );
  const { tally } = await runNow(x.rt, 'test-picks');
  expect(tally).toMatchObject({
    sent: { push: 2 },
    skipped: { budget: 3 },
    incentiveFen: 4000,
    budget: { capFen: 5000, spentFen: 4000 },
  });
  expect(await x.rt.grants.count({ campaignId: 'test-picks' })).toBe(2);
  expect(x.receivers.push.received.map((p) => p.title)).toEqual(['20元首投红包已到账', '20元首投红包已到账']);
  expect(x.receivers.push.received[0]?.body).toContain('满1000元可用红包，2026-11-27前有效');
});

test("suitability: a product above the user's risk tolerance is never offered", async () => {
  const x = await world([testCampaign({ product: { id: 'stock-growth' } })], 'gate_suitability');
  await seedUsers(x, [{ id: 'cautious', riskTolerance: 'R3' }, { id: 'unknown' }, { id: 'bold', riskTolerance: 'R5' }]);
  const { tally } = await runNow(x.rt, 'test-picks');
  expect(tally).toMatchObject({ sent: { push: 1 }, skipped: { suitability: 2 } });
  const ledger = await ledgerOf(x, 'test-picks');
  expect(ledger.get('bold')).toMatchObject({ state: 'sent', product: { id: 'stock-growth', riskLevel: 'R5' } });
  expect(ledger.get('cautious')?.detail).toContain('tolerance R3');
});

test('no product in the preferred category the user may buy: skipped, the others get theirs', async () => {
  const x = await world([testCampaign({ product: {} })], 'gate_product');
  await seedUsers(x, [
    { id: 'stocky', riskTolerance: 'R2', events: browsing('stock') },
    { id: 'bondy', riskTolerance: 'R2', events: browsing('bond') },
    { id: 'vague' },
  ]);
  await runNow(x.rt, 'test-picks');
  const ledger = await ledgerOf(x, 'test-picks');
  expect(ledger.get('stocky')).toMatchObject({ state: 'skipped', reason: 'suitability' });
  expect(ledger.get('bondy')).toMatchObject({ state: 'sent', product: { id: 'bond-steady' } });
  expect(ledger.get('vague')).toMatchObject({ state: 'skipped', reason: 'no-product' });
});
