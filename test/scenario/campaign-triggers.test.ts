import type { EventInput } from '../../src/domain/event.js';
import { deliveryKey, triggerOccurrence } from '../../src/domain/delivery.js';
import { ingest } from '../../src/ingest/ingest.js';
import { drainOutbox } from '../../src/deliver/run-now.js';
import { evaluateTrigger } from '../../src/decide/evaluate-trigger.js';
import { ledgerOf, openWorld, seedUsers, type World } from '../support/campaign-world.js';
import type { CampaignQueue, TriggerJob } from '../../src/ports/campaign-queue.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A queue that records what would be scheduled, for the test to run when it chooses. */
function recordingQueue(): CampaignQueue & { triggers: { job: TriggerJob; dueAt: Date }[] } {
  const triggers: { job: TriggerJob; dueAt: Date }[] = [];
  return {
    triggers,
    chunk: () => Promise.reject(new Error('no chunks here')),
    trigger: async (job, dueAt) => {
      triggers.push({ job, dueAt });
    },
    deliverSoon: () => Promise.resolve(),
  };
}

const strongIntent = (): Partial<EventInput>[] =>
  Array.from({ length: 4 }, (_, i) => ({ type: 'click_submit', ts: `2026-11-19T1${i}:00:00+08:00` }));
const bought = (amount: number, ts = '2026-10-10T10:00:00+08:00'): Partial<EventInput> => ({
  type: 'purchase',
  amount,
  category: 'bond',
  ts,
});

test('redeem: nothing before the delay; after it the user is checked again and contacted, or recorded why not', async () => {
  const x = (w = await openWorld({ label: 'trigger_redeem' }));
  await seedUsers(
    x,
    ['back', 'reinvested', 'late'].map((id) => ({
      id,
      riskTolerance: 'R3',
      events: [bought(10_000), ...strongIntent()],
    })),
  );
  const queue = recordingQueue();
  const ports = { ...x.tf.ingest, triggers: x.rt.triggers(queue) };
  await ingest(
    ports,
    ['back', 'reinvested', 'late'].map((u) => ({
      id: `${u}-redeem`,
      userId: u,
      type: 'redeem',
      amount: 10_000,
      ts: '2026-11-20T09:00:00+08:00',
    })),
  );
  const redeems = queue.triggers.filter((t) => t.job.campaignId === 'reengage-redeemed');
  expect(redeems.map((t) => t.dueAt.toISOString())).toEqual(Array(3).fill('2026-11-23T01:00:00.000Z'));

  const run = (u: string) =>
    evaluateTrigger({ ...x.rt.run, queue }, redeems.find((t) => t.job.userId === u)?.job as TriggerJob);
  expect(await run('back')).toEqual({ kind: 'not-due', dueAt: new Date('2026-11-23T01:00:00Z') });
  expect((await ledgerOf(x, 'reengage-redeemed')).size).toBe(0);

  // The reinvesting user puts the money back before it settles: no longer "funds redeemed".
  await ingest(ports, [
    {
      id: 'reinvested-buy',
      userId: 'reinvested',
      type: 'purchase',
      amount: 10_000,
      category: 'bond',
      ts: '2026-11-20T20:00:00+08:00',
    },
  ]);
  x.clock.set('2026-11-23T10:00:00+08:00');
  expect(await run('back')).toMatchObject({ kind: 'decided', result: { decided: 1, sends: 1 } });
  expect(await run('reinvested')).toMatchObject({ kind: 'decided', result: { decided: 1, sends: 0 } });
  expect(await run('back')).toMatchObject({ kind: 'decided', result: { decided: 0, already: 1 } });
  x.clock.set('2026-11-25T09:01:00+08:00');
  expect(await run('late')).toMatchObject({ kind: 'decided', result: { sends: 0 } });
  x.clock.set('2026-11-23T10:00:00+08:00');
  await drainOutbox(x.rt.deliver);

  const ledger = await ledgerOf(x, 'reengage-redeemed');
  expect(ledger.get('back')).toMatchObject({
    state: 'sent',
    channel: 'sms',
    occurrence: triggerOccurrence('back-redeem'),
    trigger: { type: 'redeem', amount: 10_000 },
  });
  expect(ledger.get('reinvested')).toMatchObject({ state: 'skipped', reason: 'not-eligible' });
  expect(ledger.get('late')).toMatchObject({ state: 'skipped', reason: 'trigger-expired' });
  expect(x.receivers.sms.received).toHaveLength(1);
  expect(x.receivers.sms.received[0]?.body).toMatch(/30.*回T退订$/s);
  expect(await x.rt.grants.count({ campaignId: 'reengage-redeemed' })).toBe(1);
});

test('growth ladder: a first purchase earns trial funds by tier, more the more it invests', async () => {
  const x = (w = await openWorld({ label: 'trigger_tiers' }));
  const amounts = { small: 500, mid: 5000, big: 60_000 };
  await seedUsers(
    x,
    Object.keys(amounts).map((id) => ({ id })),
  );
  const queue = recordingQueue();
  const ports = { ...x.tf.ingest, triggers: x.rt.triggers(queue) };
  await ingest(
    ports,
    Object.entries(amounts).map(([u, amount]) => ({
      id: `${u}-buy`,
      userId: u,
      type: 'purchase',
      amount,
      category: 'money',
      ts: '2026-11-20T09:30:00+08:00',
    })),
  );
  const jobs = queue.triggers.filter((t) => t.job.campaignId === 'growth-first-purchase');
  expect(jobs.map((t) => t.job.userId).sort()).toEqual(['big', 'mid', 'small']);
  for (const t of jobs) await evaluateTrigger({ ...x.rt.run, queue }, t.job);
  await drainOutbox(x.rt.deliver);
  const ledger = await ledgerOf(x, 'growth-first-purchase');
  expect(ledger.get('small')).toMatchObject({ state: 'skipped', reason: 'no-incentive' });
  expect(ledger.get('mid')).toMatchObject({
    state: 'sent',
    channel: 'push',
    incentive: { type: 'trial-funds', principal: 5000 },
  });
  expect(ledger.get('big')).toMatchObject({
    state: 'sent',
    incentive: { type: 'trial-funds', principal: 100_000, days: 3 },
  });
  const titles = x.receivers.push.received.map((p) => p.title).sort();
  expect(titles).toEqual(['首投奖励：100000元体验金', '首投奖励：5000元体验金']);
  // 100,000 yuan at 8% for 3 days costs 65.76 yuan (rounded up to the fen).
  expect(ledger.get('big')?.incentive?.costFen).toBe(6576);
  expect(await x.rt.budgets.get('growth-first-purchase')).toMatchObject({ spentFen: 6576 + 329 });
});

test('history too old for a trigger schedules nothing', async () => {
  const x = (w = await openWorld({ label: 'trigger_stale' }));
  const queue = recordingQueue();
  await ingest({ ...x.tf.ingest, triggers: x.rt.triggers(queue) }, [
    { id: 'old', userId: 'u', type: 'register', ts: '2026-10-01T09:00:00+08:00' },
    { id: 'new', userId: 'v', type: 'register', ts: '2026-11-20T09:00:00+08:00' },
  ]);
  expect(queue.triggers.map((t) => [t.job.campaignId, t.job.eventId])).toEqual([['growth-register', 'new']]);
  expect(deliveryKey('growth-register', triggerOccurrence('new'), 'v')).toBe('growth-register~evt-new~v');
});
