import { inHoldout } from '../../src/domain/holdout.js';
import type { EventInput } from '../../src/domain/event.js';
import { ingest } from '../../src/ingest/ingest.js';
import { drainOutbox, runNow } from '../../src/deliver/run-now.js';
import { simulateCampaign } from '../../src/deliver/simulate-campaign.js';
import { evaluateTrigger } from '../../src/decide/evaluate-trigger.js';
import { browsing, ledgerOf, openWorld, seedUsers, type World } from '../support/campaign-world.js';
import type { CampaignQueue, TriggerJob } from '../../src/ports/campaign-queue.js';

let w: World;
const scheduled: TriggerJob[] = [];
const queue: CampaignQueue = {
  chunk: () => Promise.reject(new Error('no chunks here')),
  trigger: async (job) => {
    scheduled.push(job);
  },
  deliverSoon: () => Promise.resolve(),
};

const submits = (n: number): Partial<EventInput>[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'click_submit', ts: `2026-11-18T1${i}:00:00+08:00` }));
const FILLERS = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];

beforeAll(async () => {
  w = await openWorld({ label: 'campaign_shipped' });
  await seedUsers(w, [
    { id: 'u-new-bond', riskTolerance: 'R3', events: [...submits(4), ...browsing('bond')] },
    { id: 'u-new-money', events: submits(4) },
    { id: 'u-new-weak' },
    {
      id: 'u-old',
      riskTolerance: 'R2',
      events: [
        { type: 'purchase', amount: 20_000, category: 'bond', ts: '2026-10-10T10:00:00+08:00' },
        ...submits(5),
        { type: 'redeem', amount: 20_000, ts: '2026-11-15T10:00:00+08:00' },
      ],
    },
    ...FILLERS.map((id) => ({ id })),
  ]);
});
afterAll(async () => {
  await w.close();
});

/** Users a run contacted (sent, or planned for later). */
async function contacted(campaignId: string): Promise<string[]> {
  return [...(await ledgerOf(w, campaignId)).values()]
    .filter((d) => d.state === 'sent' || d.state === 'planned')
    .map((d) => d.userId)
    .sort();
}

test('simulate and run agree on who is contacted (weekly picks: the top 20% by intent, by preference)', async () => {
  const dry = await simulateCampaign(w.rt.simulate, 'weekly-picks', { listContacted: true });
  expect(w.receivers.push.received).toHaveLength(0);
  expect((await ledgerOf(w, 'weekly-picks')).size).toBe(0);
  const { tally } = await runNow(w.rt, 'weekly-picks');
  expect(dry.contacted).toEqual(await contacted('weekly-picks'));
  expect(dry.tally).toMatchObject({ matched: tally.matched, sent: tally.sent, skipped: tally.skipped });
  expect(dry.contacted).toEqual(['u-new-bond']);
  const ledger = await ledgerOf(w, 'weekly-picks');
  expect(ledger.get('u-new-bond')).toMatchObject({ channel: 'push', product: { id: 'bond-enhanced' } });
  expect(ledger.get('u-old')).toMatchObject({ state: 'skipped', reason: 'no-product' });
  expect(dry.samples.find((s) => s.decision === 'send')?.message).toMatchObject({
    subject: '本周债券精选：增强收益债券',
    text: expect.stringContaining('基金有风险'),
  });
});

test("first purchase: new customers with intent get their category's product and a red packet; simulate agrees", async () => {
  const dry = await simulateCampaign(w.rt.simulate, 'first-purchase', { listContacted: true });
  const { tally } = await runNow(w.rt, 'first-purchase');
  expect(dry.contacted).toEqual(await contacted('first-purchase'));
  expect(tally).toMatchObject({
    matched: 2,
    sent: { sms: 2 },
    incentiveFen: 4000,
    budget: { capFen: 5_000_000, spentFen: 4000 },
  });
  const ledger = await ledgerOf(w, 'first-purchase');
  expect(ledger.get('u-new-bond')).toMatchObject({
    product: { id: 'bond-enhanced' },
    incentive: { type: 'red-packet', amount: 20 },
  });
  expect(ledger.get('u-new-money')).toMatchObject({ product: { id: 'money-plus' } });
  expect(w.receivers.sms.received.map((m) => m.body)).toEqual(
    expect.arrayContaining([expect.stringContaining('基金有风险，投资需谨慎')]),
  );
});

test("blanket red packet: everyone registered, except its holdout and whoever the day's targeted messages filled up", async () => {
  const { tally } = await runNow(w.rt, 'blanket-red-packet');
  const everyone = ['u-new-bond', 'u-new-money', 'u-new-weak', 'u-old', ...FILLERS];
  const held = everyone.filter((u) => inHoldout('blanket-red-packet', u, 10));
  // Both had an SMS today (1 a day), one also a push (2 in all a day): the caps stop the blanket first.
  const capped = ['u-new-bond', 'u-new-money'].filter((u) => !held.includes(u));
  expect(tally.matched).toBe(10);
  expect(tally.skipped).toEqual({
    ...(held.length ? { holdout: held.length } : {}),
    ...(capped.length ? { 'frequency-cap': capped.length } : {}),
  });
  expect(tally.sent.sms).toBe(10 - held.length - capped.length);
});

test('growth ladder: registering earns trial funds; a reinvesting old customer earns them again', async () => {
  await ingest({ ...w.tf.ingest, triggers: w.rt.triggers(queue) }, [
    { id: 'n-register', userId: 'u-newcomer', type: 'register', ts: '2026-11-20T09:30:00+08:00' },
    {
      id: 'old-buy',
      userId: 'u-old',
      type: 'purchase',
      amount: 10_000,
      category: 'bond',
      ts: '2026-11-20T09:40:00+08:00',
    },
  ]);
  await w.tf.profiles.updateMany(
    [
      {
        userId: 'u-newcomer',
        pushToken: 'push-token-u-newcomer',
        consent: { push: { granted: true, at: new Date('2026-11-20T01:30:00Z'), source: 'app' } },
      },
    ],
    w.clock(),
  );
  expect(scheduled.map((j) => `${j.campaignId}:${j.userId}`).sort()).toEqual([
    'growth-first-purchase:u-old',
    'growth-register:u-newcomer',
    'growth-reinvest:u-old',
  ]);
  for (const job of scheduled) await evaluateTrigger({ ...w.rt.run, queue }, job);
  await drainOutbox(w.rt.deliver);
  expect((await ledgerOf(w, 'growth-register')).get('u-newcomer')).toMatchObject({
    state: 'sent',
    channel: 'push',
    incentive: { type: 'trial-funds', principal: 5000 },
  });
  expect((await ledgerOf(w, 'growth-reinvest')).get('u-old')).toMatchObject({
    state: 'sent',
    incentive: { principal: 10_000 },
  });
  expect((await ledgerOf(w, 'growth-first-purchase')).get('u-old')).toMatchObject({
    state: 'skipped',
    reason: 'not-eligible',
  });
});
