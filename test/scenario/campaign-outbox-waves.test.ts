// The outbox claims, charges and grants a wave of sends at a time and writes outcomes in groups:
// every user still gets one message, one grant and one charge; a claim whose lease could run out
// during the provider call is handed back instead of sent.
import { deliverDue } from '../../src/deliver/outbox.js';
import { planManual } from '../../src/decide/plan-occurrence.js';
import { drainOutbox, inlineQueue } from '../../src/deliver/run-now.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const RED_PACKET = {
  template: 'first-purchase',
  incentive: { type: 'red-packet' as const, amount: 20, minPurchase: 1000, expiryDays: 7 },
  budget: { cap: 10_000 },
};

async function planned(label: string, users: number): Promise<World> {
  w = await openWorld({ campaigns: [testCampaign(RED_PACKET)], label });
  await seedUsers(
    w,
    Array.from({ length: users }, (_, i) => ({ id: `u${String(i).padStart(2, '0')}`, consent: ['push' as const] })),
  );
  await planManual({ ...w.rt.run, queue: inlineQueue(w.rt.run) }, 'test-picks');
  return w;
}

test('sent in waves by two lanes: each user once, with one grant and one charge each', async () => {
  const x = await planned('outbox_waves', 25);
  const counts = await drainOutbox({ ...x.rt.deliver, concurrency: 2 });
  expect(counts).toMatchObject({ picked: 25, sent: 25, lost: 0, later: 0 });
  const ledger = [...(await ledgerOf(x, 'test-picks')).values()];
  expect(
    ledger.every((d) => d.state === 'sent' && d.charge === 'done' && d.grantId === d._id && d.attempts === 1),
  ).toBe(true);
  expect(x.receivers.push.received.map((m) => m.to).sort()).toEqual(ledger.map((d) => `push-token-${d.userId}`).sort());
  expect(await x.rt.grants.count({ campaignId: 'test-picks' })).toBe(25);
  expect(await x.rt.budgets.get('test-picks')).toMatchObject({ spentFen: 25 * 2000 });
});

test('a lease shorter than the provider timeout: nothing is sent, the claims go back to planned', async () => {
  const x = await planned('outbox_short_lease', 3);
  const counts = await deliverDue({ ...x.rt.deliver, leaseMs: 1000, sendTimeoutMs: 2000 });
  expect(counts).toMatchObject({ picked: 3, sent: 0, later: 3 });
  expect(x.receivers.push.received).toHaveLength(0);
  for (const d of (await ledgerOf(x, 'test-picks')).values()) {
    expect(d).toMatchObject({ state: 'planned', detail: 'its claim ran too short to send it', charge: 'done' });
  }
  // Charged once: the next attempt, under a lease long enough, sends without charging again.
  expect((await drainOutbox(x.rt.deliver)).sent).toBe(3);
  expect(await x.rt.budgets.get('test-picks')).toMatchObject({ spentFen: 3 * 2000 });
  expect(x.receivers.push.received).toHaveLength(3);
});
