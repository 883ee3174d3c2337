// A provider's error often quotes the number, address or token it refused. What the ledger keeps of
// it (a delivery's `detail`, read by operators, reports and exports) is masked first.
import { drainOutbox, inlineQueue } from '../../src/deliver/run-now.js';
import { planManual } from '../../src/decide/plan-occurrence.js';
import type { Channel, SendResult } from '../../src/ports/channel.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A channel answering every message with `answer(to)`. */
function answering(x: World, name: 'sms' | 'push', answer: (to: string) => SendResult): Channel {
  const real = x.rt.channels[name] as Channel;
  return { ...real, send: (m) => Promise.resolve(answer(m.to)) };
}

test("provider errors quoting the recipient are stored masked in the delivery's detail", async () => {
  const x = (w = await openWorld({ campaigns: [testCampaign({ channels: ['sms', 'push'] })], label: 'ledger_mask' }));
  await seedUsers(x, [
    { id: 'tel', consent: ['sms'] },
    { id: 'tok', consent: ['push'] },
  ]);
  const phone = (await x.tf.profiles.get('tel'))?.phone as string;
  const channels = {
    ...x.rt.channels,
    sms: answering(x, 'sms', (to) => ({
      kind: 'failed',
      code: '21211',
      reason: `The 'To' number ${to} is not a valid phone number (POST To=${encodeURIComponent(to)}, owner tel@example.com)`,
    })),
    push: answering(x, 'push', (to) => ({ kind: 'unknown', reason: `gateway timed out sending to ${to}` })),
  };
  await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  await drainOutbox({ ...x.rt.deliver, channels });
  const ledger = await ledgerOf(x, 'test-picks');
  const tel = ledger.get('tel');
  expect(tel).toMatchObject({ state: 'failed', reason: 'rejected' });
  expect(tel?.detail).toBe(
    `21211: The 'To' number +*********${phone.slice(-4)} is not a valid phone number (POST To=+*********${phone.slice(-4)}, owner t***@example.com)`,
  );
  const tok = ledger.get('tok');
  expect(tok).toMatchObject({ state: 'unknown', reason: 'no-answer', detail: 'gateway timed out sending to push***' });
  const stored = JSON.stringify([...ledger.values()]);
  for (const secret of [phone, phone.slice(1), 'tel@example.com', 'push-token-tok'])
    expect(stored).not.toContain(secret);
});
