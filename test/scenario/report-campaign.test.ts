// A known population through two real campaign runs: provider reports, clicks and purchases at
// chosen times, then the campaign reports. Exact funnel counts, last-touch attribution between
// the two campaigns, a goal outside the window, a holdout user converting, and the lift arithmetic.
import { createApp } from '../../src/api/app.js';
import type { Campaign } from '../../src/domain/campaign.js';
import { inHoldout } from '../../src/domain/holdout.js';
import { ingest } from '../../src/ingest/ingest.js';
import { campaignReport } from '../../src/track/reports.js';
import { runNow } from '../../src/deliver/run-now.js';
import { followLink, recordStatus } from '../../src/track/record-status.js';
import { measureConversions } from '../../src/track/conversions.js';
import { outcomesCollection } from '../../src/store/outcomes.js';
import { apiKey } from '../support/api-key.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';
import { listen, send } from '../support/http.js';
import { smsLength } from '../../src/domain/sms-length.js';

const USERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon', 'kim', 'leo'];
const HELD = ['ann', 'eve', 'fay', 'leo'];

const campA: Campaign = testCampaign({
  id: 'camp-a',
  channels: ['sms'],
  template: 'first-purchase',
  holdout: 30,
  incentive: { type: 'red-packet', amount: 20, minPurchase: 1000, expiryDays: 7 },
  goal: { event: 'purchase', withinDays: 7, minAmount: 1000 },
});
const campB: Campaign = testCampaign({ id: 'camp-b', channels: ['push'], goal: { event: 'purchase', withinDays: 3 } });

let w: World;

beforeAll(async () => {
  w = await openWorld({ label: 'report_campaign', campaigns: [campA, campB] });
  await seedUsers(
    w,
    USERS.map((id) => (id === 'kim' ? { id, consent: ['push' as const] } : { id })),
  );
  // Campaign A on Friday 2026-11-20 10:00 Shanghai; campaign B on Sunday 11-22 10:00.
  await runNow(w.rt, 'camp-a');
  const ledger = await outcomesCollection(w.db).find({ campaignId: 'camp-a', state: 'sent' }).toArray();
  const key = (u: string): string => ledger.find((d) => d.userId === u)?._id as string;
  for (const u of ['bob', 'cat', 'dan', 'gus'])
    await recordStatus(w.tf.outcomes.track, { deliveryId: key(u), status: 'delivered' });
  await recordStatus(w.tf.outcomes.track, { deliveryId: key('hal'), status: 'undelivered' });
  for (const u of ['bob', 'cat'])
    await followLink(
      w.tf.outcomes.track,
      w.tf.outcomes.links.track(key(u), 'https://app.example.com/p/money-daily').split('/').pop() as string,
    );
  w.clock.set('2026-11-22T02:00:00Z');
  await runNow(w.rt, 'camp-b');
  const buy = (userId: string, ts: string, amount: number) => ({
    id: `buy-${userId}`,
    userId,
    type: 'purchase',
    ts,
    amount,
    category: 'money',
  });
  await ingest(w.tf.ingest, [
    buy('bob', '2026-11-21T12:00:00+08:00', 5000), // A only: credited to A, red packet used
    buy('cat', '2026-11-23T12:00:00+08:00', 2000), // A and B: B is the later touch
    buy('dan', '2026-11-28T12:00:00+08:00', 3000), // after both windows
    buy('gus', '2026-11-21T12:00:00+08:00', 500), // below A's minimum amount
    buy('kim', '2026-11-22T09:00:00+08:00', 8000), // treated in A but not contacted (no SMS consent); before B
    buy('ann', '2026-11-24T12:00:00+08:00', 1500), // holdout of A; contacted by B
    buy('eve', '2026-11-29T12:00:00+08:00', 9000), // holdout of A, after the window
  ]);
  w.clock.set('2026-11-30T02:00:00Z');
});
afterAll(async () => {
  await w.close();
});

test('the holdout is the sticky 30% of the campaign', () => {
  expect(USERS.filter((u) => inHoldout('camp-a', u, 30))).toEqual(HELD);
});

test('campaign A: funnel per channel, skips, costs, holdout and lift, exactly', async () => {
  const r = await campaignReport(w.tf.outcomes.reports, 'camp-a');
  // Each SMS costs its parts × 0.05 yuan, as carriers bill it.
  const sent = w.receivers.sms.received.map((m) => smsLength(m.body).parts);
  expect(sent).toHaveLength(7);
  const smsFen = sent.reduce((n, parts) => n + parts * 5, 0);
  expect(smsFen).toBeGreaterThan(35);
  expect(r).toMatchObject({ campaignId: 'camp-a', holdoutPercent: 30, goal: campA.goal });
  expect(r.occurrences).toHaveLength(1);
  const c = r.cumulative;
  expect(c).toMatchObject({
    matched: 12,
    contacted: 7,
    delivered: 4,
    clicked: 2,
    converted: 1,
    convertedAmount: 5000,
    channels: { sms: { contacted: 7, delivered: 4, clicked: 2, converted: 1, messageCostFen: smsFen } },
    skipped: { holdout: 4, 'no-consent': 1 },
    failed: {},
    pending: 0,
    messageCostFen: smsFen,
    grants: 7,
    incentiveGrantedFen: 14_000,
    redeemed: 2,
    incentiveRedeemedFen: 4000,
    // bob 5,000, cat 2,000 (credited to B, but he met A's goal in A's window) and kim 8,000.
    treated: { users: 8, converted: 3, amount: 15_000 },
    holdout: { users: 4, converted: 1, amount: 1500 },
    windowsOpen: false,
  });
  expect(c.lift).toMatchObject({
    treatedRate: 0.375,
    holdoutRate: 0.25,
    absolute: 0.125,
    relative: 0.5,
    incrementalConversions: 1,
    incrementalAmount: 12_000,
  });
  // Committed: the SMS + 7 red packets of 20 yuan; paid: the SMS + the 2 redeemed.
  const cost = (14_000 + smsFen) / 100;
  const cash = (4000 + smsFen) / 100;
  expect(c.efficiency).toEqual({
    cost,
    cash,
    costPerIncrementalConversion: cost,
    cashPerIncrementalConversion: cash,
    roi: 12_000 / cost,
  });
  expect(c.lift.absoluteInterval?.low).toBeLessThan(0);
  expect(c.lift.absoluteInterval?.high).toBeGreaterThan(0.125);
});

test("campaign B takes the purchases made in its window after its contact: cat from A, and A's holdout user ann", async () => {
  const r = await campaignReport(w.tf.outcomes.reports, 'camp-b');
  expect(r.cumulative).toMatchObject({
    matched: 12,
    contacted: 12,
    converted: 2,
    convertedAmount: 3500,
    channels: { push: { contacted: 12, converted: 2 } },
    treated: { users: 12, converted: 2, amount: 3500 },
    holdout: { users: 0, converted: 0 },
    grants: 0,
  });
  expect(r.cumulative.lift.absoluteInterval).toBeNull();
  expect(r.cumulative.efficiency.costPerIncrementalConversion).toBeNull();
  const marks = new Map(
    (await outcomesCollection(w.db).find({ campaignId: 'camp-b', 'outcome.converted': 1 }).toArray()).map((d) => [
      d.userId,
      d.outcome,
    ]),
  );
  expect([...marks.keys()].sort()).toEqual(['ann', 'cat']);
  expect(marks.get('cat')).toMatchObject({
    convertedEventId: 'buy-cat',
    convertedAt: new Date('2026-11-23T04:00:00Z'),
    convertedAmount: 2000,
  });
});

test('measuring again changes nothing; a purchase ingested late is picked up by the next report', async () => {
  const goals = new Map([
    ['camp-a', campA.goal],
    ['camp-b', campB.goal],
  ]);
  expect(await measureConversions({ conversions: w.tf.outcomes.reports.conversions }, campA, goals)).toBe(0);
  await ingest(w.tf.ingest, [
    { id: 'buy-jon', userId: 'jon', type: 'purchase', ts: '2026-11-21T18:00:00+08:00', amount: 1000 },
  ]);
  const r = await campaignReport(w.tf.outcomes.reports, 'camp-a');
  expect(r.cumulative).toMatchObject({ converted: 2, convertedAmount: 6000, redeemed: 3, treated: { converted: 4 } });
});

test('a range of decision days: none in it, an empty report', async () => {
  const r = await campaignReport(w.tf.outcomes.reports, 'camp-a', { from: '2026-11-21', to: '2026-11-30' });
  expect(r.cumulative).toMatchObject({ matched: 0, contacted: 0 });
  expect(r.range).toEqual({ from: '2026-11-21', to: '2026-11-30' });
  expect(
    (await campaignReport(w.tf.outcomes.reports, 'camp-a', { from: '2026-11-20', to: '2026-11-20' })).cumulative
      .matched,
  ).toBe(12);
});

test('GET /v1/reports/campaigns/:id serves the same report; bad days are 400; an unknown campaign 404', async () => {
  const api = await listen(createApp({ ...w.tf, outcomes: w.tf.outcomes }, { report: () => undefined }));
  const key = await apiKey(w.tf.db, 'viewer');
  try {
    const res = await send(`${api.url}/v1/reports/campaigns/camp-a`, 'GET', undefined, key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      campaignId: 'camp-a',
      cumulative: { matched: 12, contacted: 7, holdout: { users: 4 } },
    });
    const bad = await send(`${api.url}/v1/reports/campaigns/camp-a?from=2026-13-01&to=x`, 'GET', undefined, key);
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      'query.from',
      'query.to',
    ]);
    expect((await send(`${api.url}/v1/reports/campaigns/nope`, 'GET', undefined, key)).status).toBe(404);
  } finally {
    await api.close();
  }
});
