// The outbox checks a planned send again just before it goes, with the gates planning used:
// a contact point suppressed after planning stops the send, and a send held over to another day
// must fit that day's frequency caps.
import type { Campaign } from '../../src/domain/campaign.js';
import { planManual } from '../../src/decide/plan-occurrence.js';
import { drainOutbox, inlineQueue, runNow } from '../../src/deliver/run-now.js';
import { createOutcomeStore } from '../../src/store/outcomes.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function world(campaigns: Campaign[], label: string): Promise<World> {
  w = await openWorld({ campaigns, label });
  return w;
}

const plan = (x: World, campaignId: string) => planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, campaignId);

test('a hard bounce or a dead push token reported after planning stops the send, with the reason recorded', async () => {
  const x = await world([testCampaign()], 'send_gate_suppressed');
  await seedUsers(x, [
    { id: 'pu', consent: ['push'] },
    { id: 'em', consent: ['email'] },
    { id: 'ok', consent: ['push'] },
  ]);
  await plan(x, 'test-picks');
  const planned = await ledgerOf(x, 'test-picks');
  expect([...planned.values()].map((d) => d.state)).toEqual(['planned', 'planned', 'planned']);
  const outcomes = createOutcomeStore(x.db);
  await outcomes.suppress('pu', 'push', { to: 'push-token-pu', reason: 'dead-contact', at: x.clock() });
  await outcomes.suppress('em', 'email', { to: 'em@example.com', reason: 'hard-bounce', at: x.clock() });
  expect(await drainOutbox(x.rt.deliver)).toMatchObject({ sent: 1, skipped: 2 });
  const ledger = await ledgerOf(x, 'test-picks');
  for (const u of ['pu', 'em'])
    expect(ledger.get(u)).toMatchObject({
      state: 'skipped',
      reason: 'suppressed',
      detail: expect.stringContaining('checked again at send time'),
    });
  expect(ledger.get('ok')).toMatchObject({ state: 'sent' });
  expect(x.receivers.push.received.map((m) => m.to)).toEqual(['push-token-ok']);
  expect(x.receivers.smtp.received).toHaveLength(0);
});

test('a send held overnight by quiet hours must fit the caps of the day it goes out', async () => {
  const sms = { channels: ['sms' as const] };
  const x = await world(
    [testCampaign({ id: 'late-picks', ...sms }), testCampaign({ id: 'morning-picks', ...sms })],
    'send_gate_caps',
  );
  await seedUsers(x, [{ id: 'sh', consent: ['sms'] }]);
  x.clock.set('2026-11-20T12:59:00Z'); // 20:59 in Shanghai: planned for now
  await plan(x, 'late-picks');
  x.clock.set('2026-11-20T13:10:00Z'); // picked up in quiet hours: held until 08:00
  expect((await drainOutbox(x.rt.deliver)).later).toBe(1);
  x.clock.set('2026-11-21T00:00:00Z'); // 08:00 the next day: another campaign takes the day's one SMS
  await runNow(x.rt, 'morning-picks');
  expect((await ledgerOf(x, 'morning-picks')).get('sh')).toMatchObject({ state: 'sent' });
  expect((await ledgerOf(x, 'late-picks')).get('sh')).toMatchObject({
    state: 'skipped',
    reason: 'frequency-cap',
    detail: expect.stringContaining('checked again at send time'),
  });
  expect(x.receivers.sms.received).toHaveLength(1);
});
